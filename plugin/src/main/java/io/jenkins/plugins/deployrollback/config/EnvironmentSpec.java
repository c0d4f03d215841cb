package io.jenkins.plugins.deployrollback.config;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.gate.InconclusiveAction;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.RetryPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.HostKeyVerification;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshAddress;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshConnectionPool;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshCredentials;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshSettings;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything that defines an environment as a Pipeline step gave it: where (hosts and deploy path, or
 * a folder on the agent), as whom (an SSH credentials ID: never the key), which host keys to trust,
 * hooks, gates, policies, and how a release goes live across the targets (the strategy). Plain values
 * only, so it is stored with the build (for "Roll back to this build") and sent to the agent that runs
 * the engine.
 */
public final class EnvironmentSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int SSH_PORT = 22;

    private final String environment;
    private final List<String> hosts;
    private final String path;
    private final String credentialsId;
    private final String knownHosts;
    private final List<HookSpec> hooks;
    private final List<GateSpec> gates;
    private final int retries;
    private final boolean autoRollback;
    private final int keepReleases;
    private final String onInconclusive;
    private final String approvers;
    private final boolean verifyAfterRollback;
    private final int lockTimeoutMinutes;
    /** Null in the records of builds from before strategies: those deployed all at once. */
    private final StrategySpec strategy;

    @SuppressWarnings("checkstyle:ParameterNumber")
    public EnvironmentSpec(
            String environment,
            List<String> hosts,
            String path,
            String credentialsId,
            String knownHosts,
            List<HookSpec> hooks,
            List<GateSpec> gates,
            int retries,
            boolean autoRollback,
            int keepReleases,
            String onInconclusive,
            String approvers,
            boolean verifyAfterRollback,
            int lockTimeoutMinutes,
            StrategySpec strategy) {
        this.environment = environment;
        this.hosts = hosts == null ? new ArrayList<>() : new ArrayList<>(hosts);
        this.path = path;
        this.credentialsId = credentialsId == null || credentialsId.isBlank() ? null : credentialsId;
        this.knownHosts = knownHosts;
        this.hooks = hooks == null ? new ArrayList<>() : new ArrayList<>(hooks);
        this.gates = gates == null ? new ArrayList<>() : new ArrayList<>(gates);
        this.retries = retries;
        this.autoRollback = autoRollback;
        this.keepReleases = keepReleases;
        this.onInconclusive = onInconclusive;
        this.approvers = approvers;
        this.verifyAfterRollback = verifyAfterRollback;
        this.lockTimeoutMinutes = lockTimeoutMinutes;
        this.strategy = strategy;
    }

    public String getEnvironment() {
        return environment;
    }

    public List<String> getHosts() {
        return List.copyOf(hosts);
    }

    public String getPath() {
        return path;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public List<GateSpec> getGates() {
        return List.copyOf(gates);
    }

    /**
     * The command checks a rollback of this environment would run where the engine runs (not on the
     * targets): those of its gates when it verifies after a rollback, none otherwise. The "Roll back to
     * this build" button refuses an environment that has any, as the engine would run on the controller.
     */
    public List<String> commandsWhereTheEngineRuns() {
        List<String> names = new ArrayList<>();
        if (!verifyAfterRollback) {
            return names;
        }
        for (GateSpec gate : gates) {
            for (CheckSpec check : gate.getChecks()) {
                if (check instanceof CommandCheckSpec command && command.runsWhereTheEngineRuns()) {
                    names.add(gate.getName() + "/" + command.getName());
                }
            }
        }
        return names;
    }

    /** How a release goes live across the targets; {@code allAtOnce()} when none was given. */
    public StrategySpec getStrategy() {
        return strategy == null ? new AllAtOnceStrategySpec() : strategy;
    }

    /**
     * This environment with the options named in {@code given} taken from {@code step} instead: a step
     * that names a recorded environment and changes some of its options. Where it is (hosts and path)
     * is never changed this way (a step that gives hosts or a path defines the environment anew).
     */
    public EnvironmentSpec overriddenBy(EnvironmentSpec step, Set<String> given) {
        return new EnvironmentSpec(
                environment,
                hosts,
                path,
                given.contains("credentialsId") ? step.credentialsId : credentialsId,
                given.contains("knownHosts") ? step.knownHosts : knownHosts,
                given.contains("hooks") ? step.hooks : hooks,
                given.contains("gates") ? step.gates : gates,
                given.contains("retries") ? step.retries : retries,
                given.contains("autoRollback") ? step.autoRollback : autoRollback,
                given.contains("keepReleases") ? step.keepReleases : keepReleases,
                given.contains("onInconclusive") ? step.onInconclusive : onInconclusive,
                given.contains("approvers") ? step.approvers : approvers,
                given.contains("verifyAfterRollback") ? step.verifyAfterRollback : verifyAfterRollback,
                given.contains("lockTimeoutMinutes") ? step.lockTimeoutMinutes : lockTimeoutMinutes,
                given.contains("strategy") ? step.strategy : strategy);
    }

    /** True when the targets are hosts reached over SSH; false when they are folders on the agent. */
    public boolean isRemote() {
        return !hosts.isEmpty();
    }

    /** The environment's name, checked by the engine's rule. */
    public EnvironmentName name() {
        return EnvironmentName.of(environment);
    }

    /**
     * The engine's environment. {@code key} is needed for hosts (and refused for folders); relative
     * folder paths resolve against {@code workspace}.
     */
    public Environment toEngine(SshKey key, Path workspace) {
        return toEngine(key, workspace, null);
    }

    /**
     * As {@link #toEngine(SshKey, Path)}, the hosts' connections taken from and given back to
     * {@code connections} (null: a new connection per operation).
     */
    public Environment toEngine(SshKey key, Path workspace, SshConnectionPool connections) {
        EnvironmentName name = name();
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("Environment " + name + " has no path: give the deploy path on the"
                    + " hosts (path: '/srv/app'), or, without hosts, a folder on the agent");
        }
        List<Target> targets = new ArrayList<>();
        if (hosts.isEmpty()) {
            Path folder = workspace.resolve(path).normalize();
            targets.add(new LocalTarget("local", folder));
        } else {
            if (key == null) {
                throw new IllegalArgumentException("Environment " + name + " deploys to " + hosts.size()
                        + " host(s) but has no credentialsId: give the ID of an \"SSH Username with private key\""
                        + " credential whose public key is in the hosts' authorized_keys");
            }
            if (knownHosts == null || knownHosts.isBlank()) {
                throw new IllegalArgumentException("Environment " + name + " has no knownHosts: give the hosts'"
                        + " keys as known_hosts lines (ssh-keyscan -p PORT HOST prints them; check each"
                        + " fingerprint with the host's owner). Host keys are never trusted unseen");
            }
            HostKeyVerification trusted = HostKeyVerification.knownHosts(knownHosts);
            SshSettings settings = SshSettings.DEFAULT.withRetry(retryPolicy());
            SshCredentials credentials = key.toEngine();
            for (String written : hosts) {
                SshAddress address = SshAddress.parse(written, SSH_PORT);
                SshTarget target =
                        new SshTarget(null, address.host(), address.port(), path, credentials, trusted, settings);
                targets.add(connections == null ? target : target.withPool(connections));
            }
        }
        return new Environment(
                name,
                targets,
                hooks.stream().map(HookSpec::toEngine).toList(),
                gates.stream().map(GateSpec::toEngine).toList(),
                List.of(),
                new RetentionPolicy(keepReleases, RetentionPolicy.DEFAULT.keepFailed()),
                Duration.ofMinutes(lockTimeoutMinutes),
                autoRollback,
                Map.of(),
                Environment.DEFAULT_CONCURRENCY,
                gatePolicy(),
                getStrategy().toEngine());
    }

    private RetryPolicy retryPolicy() {
        RetryPolicy standard = RetryPolicy.DEFAULT;
        return new RetryPolicy(retries, standard.firstDelay(), standard.maxDelay());
    }

    private GatePolicy gatePolicy() {
        InconclusiveAction action;
        try {
            action = InconclusiveAction.valueOf(
                    (onInconclusive == null ? "ask" : onInconclusive).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("onInconclusive \"" + onInconclusive + "\" of environment " + environment
                    + " is not allowed: use ask (an approver decides), fail or pass");
        }
        return new GatePolicy(action, Specs.names(approvers), null, verifyAfterRollback);
    }
}

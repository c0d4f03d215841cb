package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.gate.GateWindow;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import io.jenkins.plugins.deployrollback.engine.gate.TargetLatencySource;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshConnectionPool;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code deploy-rollback.yaml}. Every problem is collected, not just the first, and each names
 * the file, the line, the key and what is allowed:
 *
 * <pre>deploy-rollback.yaml:14: environments.demo.hooks[1].runOn: "sometimes" is not allowed; use deploy, rollback or both</pre>
 *
 * Unknown keys are errors (with a suggestion), so a typo never silently drops a setting. Relative
 * paths are relative to the folder of the file; {@code ~} is the home folder. Secrets (SSH keys and
 * passphrases) come from files and environment variables, never from the file, and never appear in
 * a message.
 */
public final class ConfigLoader {
    /** The configuration file used when none is named. */
    public static final String DEFAULT_FILE = "deploy-rollback.yaml";
    /** The state folder (history, kept artifacts) when the file names none, next to the file. */
    public static final String DEFAULT_STATE = ".deploy-rollback";

    private static final Set<String> TOP = Set.of("state", "environments");
    private static final Set<String> ENVIRONMENT = union(
            Set.of(
                    "targets",
                    "concurrency",
                    "ssh",
                    "hooks",
                    "healthCheck",
                    "healthChecks",
                    "shared",
                    "keepReleases",
                    "keepFailed",
                    "lockTimeout",
                    "autoRollback",
                    "variables",
                    StrategyConfig.KEY),
            GateConfig.ENVIRONMENT_KEYS);
    private static final Set<String> LOCAL_TARGET = Set.of("name", "path");
    private static final Set<String> HOOK = Set.of("name", "phase", "runOn", "command", "timeout");
    private static final Set<String> HEALTH = Set.of("name", "url", "expectStatus", "timeout", "attempts", "interval");

    private final ConfigReader reader;

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private ConfigLoader(Path file, Map<String, String> environment, SshConnectionPool connections) {
        this.reader = new ConfigReader(file, environment, connections);
    }

    /** Loads {@code file}, reading secrets from this process's environment variables. */
    public static CliConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Loads {@code file}; throws {@link ConfigException} listing every problem found.
     *
     * @param environment the environment variables that {@code identityEnv} and {@code passphraseEnv}
     *     name, and {@code HOME} for {@code ~}
     */
    public static CliConfig load(Path file, Map<String, String> environment) {
        return load(file, environment, null);
    }

    /**
     * Loads {@code file} as {@link #load(Path, Map)} does, for a process that runs many commands: its
     * SSH targets keep their connections in {@code connections} (null: they log in anew each time).
     */
    public static CliConfig load(Path file, Map<String, String> environment, SshConnectionPool connections) {
        return new ConfigLoader(file, environment, connections).load();
    }

    private CliConfig load() {
        Path file = reader.file();
        YamlNode root;
        List<YamlNode.Duplicate> duplicates = new ArrayList<>();
        try {
            String text = YamlSyntax.decode(reader.file(), Files.readAllBytes(file));
            root = YamlNode.parse(new java.io.StringReader(text), duplicates);
        } catch (NoSuchFileException e) {
            throw reader.fileProblem(
                    "no such configuration file. Create it (see docs/configuration.md) or name another with --config");
        } catch (IOException e) {
            ConfigException syntax = YamlSyntax.of(reader.file(), e);
            if (syntax != null) {
                throw syntax;
            }
            String message =
                    e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw reader.fileProblem("not readable as YAML: " + message);
        }
        if (root.kind != YamlNode.Kind.MAP) {
            throw reader.fileProblem(
                    "the file must be a map with 'environments:' at the top, but holds " + root.describeKind());
        }
        duplicates.forEach(d -> reader.problem(
                d.line(),
                d.path(),
                "is given twice (first on line " + d.firstLine()
                        + "): a later one would silently replace the earlier; keep one"));
        reader.checkKeys(root, TOP);
        Path state = root.map.containsKey("state")
                ? reader.localPath(reader.string(root.map.get("state")))
                : reader.folder().resolve(DEFAULT_STATE);
        Map<EnvironmentName, Environment> environments = new LinkedHashMap<>();
        YamlNode envs = root.map.get("environments");
        if (envs == null || envs.kind != YamlNode.Kind.MAP || envs.map.isEmpty()) {
            reader.problem(
                    envs == null ? root : envs,
                    "environments",
                    "give at least one environment, e.g. environments: { staging: { targets: [ { path: /srv/app } ] } }");
        } else {
            for (Map.Entry<String, YamlNode> entry : envs.map.entrySet()) {
                Environment environment = environment(entry.getKey(), entry.getValue(), envs.lineOf(entry.getKey()));
                if (environment != null) {
                    environments.put(environment.name(), environment);
                }
            }
        }
        if (reader.hasProblems()) {
            throw new ConfigException(reader.problems());
        }
        return new CliConfig(file, state, environments, reader.secrets());
    }

    private Environment environment(String name, YamlNode node, int nameLine) {
        EnvironmentName environmentName;
        try {
            environmentName = EnvironmentName.of(name);
        } catch (IllegalArgumentException e) {
            // At the name's own line, and never the name raw in the path: it may hold a newline.
            reader.problem(nameLine, "environments", e.getMessage());
            return null;
        }
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, ENVIRONMENT);
        int before = reader.problemCount();
        SshTargets ssh = new SshTargets(reader, node);
        List<Target> targets = reader.list(node, "targets", true, entry -> target(entry, ssh));
        int concurrency = concurrency(environmentName, node);
        List<Hook> hooks = reader.list(node, "hooks", false, this::hook);
        // Health checks are gates of their own, run first; then the gates given as such.
        List<Gate> checks = new ArrayList<>();
        if (node.map.containsKey("healthCheck") && node.map.containsKey("healthChecks")) {
            reader.problem(
                    node.map.get("healthChecks"), "give either healthCheck (one) or healthChecks (a list), not both");
        } else if (node.map.containsKey("healthCheck")) {
            Gate check = healthCheck(node.map.get("healthCheck"));
            if (check != null) {
                checks.add(check);
            }
        } else {
            checks.addAll(reader.list(node, "healthChecks", false, this::healthCheck));
        }
        GateConfig gates = new GateConfig(reader);
        checks.addAll(gates.gates(node));
        GatePolicy gatePolicy = gates.policy(node);
        // As written: a target with a problem of its own still counts.
        YamlNode targetList = node.map.get("targets");
        int targetCount = targetList != null && targetList.kind == YamlNode.Kind.LIST ? targetList.list.size() : 0;
        Strategy strategy = new StrategyConfig(reader).strategy(node, targetCount);
        if (strategy != null) {
            refuseTargetSidesWithout(strategy, targetCount, gates.targetHostUrls());
        }
        List<SharedPath> shared =
                reader.list(node, "shared", false, n -> reader.guard(n, () -> SharedPath.parse(reader.string(n))));
        int keepReleases = reader.integer(node, "keepReleases", RetentionPolicy.DEFAULT.keepReleases());
        int keepFailed = reader.integer(node, "keepFailed", RetentionPolicy.DEFAULT.keepFailed());
        RetentionPolicy retention = reader.guard(node, () -> new RetentionPolicy(keepReleases, keepFailed));
        Duration lockTimeout = reader.duration(node, "lockTimeout", Environment.DEFAULT_LOCK_TIMEOUT);
        boolean autoRollback = reader.bool(node, "autoRollback", true);
        Map<String, String> variables = new LinkedHashMap<>();
        YamlNode vars = node.map.get("variables");
        if (vars != null && reader.isMap(vars)) {
            vars.map.forEach((key, value) -> {
                String text = reader.string(value);
                if (text != null) {
                    variables.put(key, text);
                }
            });
        }
        if (reader.problemCount() > before) {
            return null;
        }
        return reader.guard(
                node,
                () -> new Environment(
                        environmentName,
                        targets,
                        hooks,
                        checks,
                        shared,
                        retention,
                        lockTimeout,
                        autoRollback,
                        variables,
                        concurrency,
                        gatePolicy,
                        strategy));
    }

    /**
     * A canary source naming {@code {host}} compares the targets already switched with the others: only
     * a rolling or canary deployment over two targets or more ever has both, so elsewhere the check
     * would be left out every time, silently judging nothing.
     */
    private void refuseTargetSidesWithout(Strategy strategy, int targets, List<YamlNode> urls) {
        boolean inSteps = strategy instanceof Strategy.Rolling || strategy instanceof Strategy.Canary;
        for (YamlNode url : urls) {
            if (!inSteps) {
                reader.problem(
                        url,
                        "names " + TargetLatencySource.HOST + ", so it compares the targets already switched with the"
                                + " others, but the environment's strategy is " + strategy.describe()
                                + ", which never has some targets switched and others not: the check would never"
                                + " run. Give the environment strategy: { canary: { steps: [1, 50%] } } or"
                                + " strategy: { rolling: { batch: 25% } }, or name one host instead of "
                                + TargetLatencySource.HOST);
            } else if (targets == 1) {
                reader.problem(
                        url,
                        "names " + TargetLatencySource.HOST + ", so it compares the targets already switched with the"
                                + " others, but the environment has a single target: there is never a target left"
                                + " to compare with. Add targets, or name one host instead of "
                                + TargetLatencySource.HOST);
            }
        }
    }

    /** How many targets are worked on at once; checked by the engine's rule at its own key. */
    private int concurrency(EnvironmentName environment, YamlNode node) {
        YamlNode given = node.map.get("concurrency");
        Integer concurrency = given == null ? null : reader.integer(given);
        if (concurrency == null) {
            return Environment.DEFAULT_CONCURRENCY;
        }
        Target probe = new LocalTarget("probe", reader.folder());
        reader.check(
                given,
                () -> new Environment(
                        environment, List.of(probe), null, null, null, null, null, true, null, concurrency));
        return concurrency;
    }

    /** A target with a host is reached over SSH; one without is a folder on this machine. */
    private Target target(YamlNode node, SshTargets ssh) {
        if (!reader.isMap(node)) {
            return null;
        }
        return node.map.containsKey("host") ? ssh.target(node) : localTarget(node, ssh);
    }

    private Target localTarget(YamlNode node, SshTargets ssh) {
        ssh.refuseWrittenSecrets(node);
        Set<String> sshOnly = new java.util.TreeSet<>(SshTargets.SETTINGS);
        sshOnly.removeAll(LOCAL_TARGET);
        Set<String> known = new java.util.HashSet<>(LOCAL_TARGET);
        known.add("host");
        known.addAll(sshOnly);
        reader.checkKeys(node, known, SshTargets.WRITTEN_SECRETS.keySet());
        for (String key : node.map.keySet()) {
            if (sshOnly.contains(key)) {
                reader.problem(
                        node.map.get(key),
                        ConfigReader.path(node, key),
                        "applies to SSH targets only: add host: to deploy to a host over SSH, or leave it out for a"
                                + " folder on this machine");
            }
        }
        String name = node.map.containsKey("name") ? reader.string(node.map.get("name")) : null;
        if (!node.map.containsKey("path")) {
            reader.problem(
                    node,
                    "has neither host nor path: give host: (a host reached over SSH, such as host: web-1.example.com)"
                            + " or path: (a folder on this machine, such as path: /srv/app)");
            return null;
        }
        String path = reader.string(node.map.get("path"));
        if (path == null) {
            return null;
        }
        return reader.guard(node, () -> new LocalTarget(name, reader.localPath(path)));
    }

    private Hook hook(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, HOOK);
        String name = reader.requiredString(node, "name", "a short name such as migrate or restart");
        String phaseText = reader.requiredString(node, "phase", "beforeSwitch or afterSwitch");
        String runOnText = reader.requiredString(node, "runOn", "deploy, rollback or both: say when the hook runs");
        String command = reader.requiredString(node, "command", "the shell command to run in the release folder");
        Duration timeout = reader.duration(node, "timeout", Hook.DEFAULT_TIMEOUT);
        HookPhase phase = phaseText == null
                ? null
                : reader.enumValue(node.map.get("phase"), () -> HookPhase.fromLabel(phaseText));
        RunOn runOn =
                runOnText == null ? null : reader.enumValue(node.map.get("runOn"), () -> RunOn.fromLabel(runOnText));
        if (name == null || phase == null || runOn == null || command == null) {
            return null;
        }
        return reader.guard(node, () -> new Hook(name, phase, runOn, command, timeout));
    }

    private Gate healthCheck(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, HEALTH);
        String name = node.map.containsKey("name") ? reader.string(node.map.get("name")) : null;
        String url = reader.requiredString(node, "url", "the http:// or https:// URL to GET");
        int status = reader.integer(node, "expectStatus", 200);
        Duration timeout = reader.duration(node, "timeout", Duration.ofSeconds(5));
        int attempts = reader.integer(node, "attempts", 3);
        Duration interval = reader.duration(node, "interval", Duration.ofSeconds(1));
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            reader.problem(node.map.get("url"), "\"" + url + "\" is not a URL: " + e.getReason());
            return null;
        }
        // A health check is a gate that passes on the first expected answer, asked up to `attempts` times.
        return reader.guard(
                node,
                () -> new Gate(
                        name == null ? "health" : name,
                        List.of(new HttpCheck(
                                name == null ? "health" : name,
                                List.of(uri),
                                1,
                                null,
                                timeout,
                                List.of(status),
                                null,
                                null,
                                null,
                                null,
                                null,
                                false)),
                        GateWindow.of(attempts, interval)
                                .withFailureLimit(attempts - 1)
                                .withConsecutiveSuccessLimit(1)));
    }
}

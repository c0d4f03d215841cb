package io.jenkins.plugins.deployrollback.engine.testing;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.flow.ReturnRequest;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.gate.GateWindow;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A whole engine on disk for tests: one or more local targets, each served by a real
 * {@link ReleaseServer}, file history and artifact stores, and an environment whose health check
 * asks the first target's server.
 */
public final class Stack implements AutoCloseable {
    public final Path base;
    public final List<Path> roots = new ArrayList<>();
    public final List<ReleaseServer> servers = new ArrayList<>();
    public final FileHistoryStore history;
    public final FileArtifactStore artifacts;
    public final RecordingProgress progress = new RecordingProgress();
    public final DeploymentEngine engine;
    public final ReleaseFolders releases;
    public final EnvironmentName name = EnvironmentName.of("staging");
    public List<Hook> hooks = List.of();
    public RetentionPolicy retention = RetentionPolicy.DEFAULT;
    public List<SharedPath> shared = List.of();
    public boolean autoRollback = true;
    public boolean healthCheck = true;
    /** The gates run after the switch, instead of the health gate, when not null. */
    public List<Gate> gates;
    /** How gate verdicts are acted on. */
    public GatePolicy gatePolicy = GatePolicy.DEFAULT;
    /** How many targets are worked on at once. */
    public int concurrency = Environment.DEFAULT_CONCURRENCY;

    public Duration lockTimeout = Duration.ofMinutes(5);

    public Stack(Path base, int targets) throws IOException {
        this(base, targets, Clock.systemUTC());
    }

    public Stack(Path base, int targets, Clock clock) throws IOException {
        this(base, targets, clock, history -> history, artifacts -> artifacts);
    }

    /**
     * A stack whose engine reaches its file stores through {@code historyAccess} and {@code
     * artifactAccess} (the stores as another machine would see them, say), while {@link #history} and
     * {@link #artifacts} stay the files themselves.
     */
    public Stack(
            Path base,
            int targets,
            Clock clock,
            Function<FileHistoryStore, HistoryStore> historyAccess,
            Function<FileArtifactStore, ArtifactStore> artifactAccess)
            throws IOException {
        this.base = base;
        for (int i = 1; i <= targets; i++) {
            Path root = base.resolve("target-" + i);
            Files.createDirectories(root);
            roots.add(root);
            servers.add(new ReleaseServer(root));
        }
        history = new FileHistoryStore(base.resolve("state/history"));
        artifacts = new FileArtifactStore(base.resolve("state/artifacts"));
        engine = new DeploymentEngine(historyAccess.apply(history), artifactAccess.apply(artifacts), progress, clock);
        releases = new ReleaseFolders(base);
    }

    /**
     * A before-switch hook that, on target {@code target} only, replaces {@code current} by a real folder
     * holding the same page, as someone copying the site by hand while the deploy runs would: that
     * target's switch then fails, after the plan accepted it.
     */
    public static Hook currentReplacedByAFolderOn(String target) {
        return new Hook(
                "replace-current",
                io.jenkins.plugins.deployrollback.engine.hook.HookPhase.BEFORE_SWITCH,
                io.jenkins.plugins.deployrollback.engine.hook.RunOn.DEPLOY,
                "if [ \"$DEPLOY_TARGET\" = " + target + " ]; then"
                        + " page=$(cat \"$DEPLOY_ROOT/current/index.html\") && rm \"$DEPLOY_ROOT/current\""
                        + " && mkdir \"$DEPLOY_ROOT/current\""
                        + " && printf '%s\\n' \"$page\" > \"$DEPLOY_ROOT/current/index.html\"; fi",
                java.time.Duration.ofSeconds(30));
    }

    /** A hook that appends "<name> <mode> <release> <previous>" to shared/hooks.log, then runs {@code then}. */
    public static Hook loggingHook(
            String name,
            io.jenkins.plugins.deployrollback.engine.hook.HookPhase phase,
            io.jenkins.plugins.deployrollback.engine.hook.RunOn runOn,
            String then) {
        String log = "echo \"" + name
                + " $DEPLOY_MODE $DEPLOY_RELEASE $DEPLOY_PREVIOUS_RELEASE\" >> \"$DEPLOY_ROOT/shared/hooks.log\"";
        return new Hook(name, phase, runOn, then == null ? log : log + " && " + then, Duration.ofSeconds(30));
    }

    /** The lines hooks logged on target {@code index}. */
    public List<String> hookLog(int index) throws IOException {
        Path log = roots.get(index).resolve("shared/hooks.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    public Path root() {
        return roots.get(0);
    }

    public Environment environment() {
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            targets.add(new LocalTarget("web-" + (i + 1), roots.get(i)));
        }
        List<Gate> checks = gates != null
                ? gates
                : healthCheck ? List.of(healthGate(servers.get(0).url("/health"))) : List.of();
        return new Environment(
                name,
                targets,
                hooks,
                checks,
                shared,
                retention,
                lockTimeout,
                autoRollback,
                Map.of("APP_NAME", "shop"),
                concurrency,
                gatePolicy);
    }

    /**
     * The gate the stack's environment has by default: {@code url} must answer 200 within 2 s, asked
     * up to twice 10 ms apart, passing on the first success (a health check).
     */
    public static Gate healthGate(java.net.URI url) {
        return new Gate(
                "health",
                List.of(new HttpCheck(
                        "health",
                        List.of(url),
                        1,
                        null,
                        Duration.ofSeconds(2),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        false)),
                GateWindow.of(2, Duration.ofMillis(10)).withFailureLimit(1).withConsecutiveSuccessLimit(1));
    }

    public DeploymentResult deploy(ReleaseFolders.Prepared prepared) throws IOException {
        return engine.deploy(environment(), new DeployRequest(prepared.release(), prepared.source(), "tester", null));
    }

    public DeploymentResult deployHealthy(String id, String... facts) throws IOException {
        return deploy(releases.healthy(id, facts));
    }

    public DeploymentResult rollback() throws IOException {
        return engine.rollback(
                environment(), new ReturnRequest(ReleaseSelector.byDefault(), false, "tester", "test rollback"));
    }

    public DeploymentResult rollbackTo(String id, boolean force) throws IOException {
        return engine.rollback(
                environment(), new ReturnRequest(new ReleaseSelector.ById(ReleaseId.of(id)), force, "tester", null));
    }

    public DeploymentResult rollForward() throws IOException {
        return engine.rollForward(environment(), new ReturnRequest(ReleaseSelector.byDefault(), false, "tester", null));
    }

    /** The release {@code current} points to on target {@code index} (0-based), read with readlink. */
    public String live(int index) throws IOException {
        Path current = roots.get(index).resolve("current");
        return Files.isSymbolicLink(current) ? Files.readSymbolicLink(current).toString() : null;
    }

    public String live() throws IOException {
        return live(0);
    }

    /** What the real web server answers for {@code /} on target {@code index}. */
    public String page(int index) throws IOException, InterruptedException {
        var client = java.net.http.HttpClient.newHttpClient();
        return client.send(
                        java.net.http.HttpRequest.newBuilder(servers.get(index).url("/"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Override
    public void close() {
        servers.forEach(ReleaseServer::close);
    }
}

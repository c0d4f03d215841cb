package io.jenkins.plugins.deployrollback.engine.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.flow.ReturnRequest;
import io.jenkins.plugins.deployrollback.engine.gate.CommandCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.gate.GateWindow;
import io.jenkins.plugins.deployrollback.engine.gate.InconclusiveAction;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.plan.TargetAction;
import io.jenkins.plugins.deployrollback.engine.plan.TargetStep;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import io.jenkins.plugins.deployrollback.engine.testing.FreePorts;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import io.jenkins.plugins.deployrollback.engine.testing.SystemProgram;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Blue/green over five real sshd hosts behind a real nginx (Debian's). On each host nginx serves
 * the blue slot on one port and the green slot on another (its document root is the slot's link,
 * which nginx follows on every request, as an application started from the slot would serve it), and
 * a front port proxies to the live slot: an after-switch hook, run on deploys and rollbacks alike,
 * writes the live slot's port into the front's include file and reloads nginx gracefully. This is how
 * a load balancer follows the live pointer.
 */
public class BlueGreenIT {
    private static final String NGINX = SystemProgram.NGINX.command();
    private static final int HOSTS = 5;
    private static final int PORT_ATTEMPTS = 5;

    @Rule
    public final SshServers hosts = new SshServers(HOSTS, true);

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private final RecordingProgress progress = new RecordingProgress();
    private DeploymentEngine engine;
    private ReleaseFolders releases;
    private Path nginxConfig;
    private Process nginx;
    private int bluePort;
    private int greenPort;
    private int frontPort;

    @BeforeClass
    public static void nginxAndCurlAreInstalled() {
        // Before the rules start five sshd hosts for nothing.
        SystemProgram.require(SystemProgram.NGINX, SystemProgram.CURL);
    }

    @Before
    public void startNginx() throws Exception {
        Path base = temp.getRoot().toPath().toRealPath();
        engine = new DeploymentEngine(
                new FileHistoryStore(base.resolve("state/history")),
                new FileArtifactStore(base.resolve("state/artifacts")),
                progress,
                Clock.systemUTC());
        releases = new ReleaseFolders(base);
        Path dir = Files.createDirectories(base.resolve("nginx"));
        nginxConfig = dir.resolve("nginx.conf");
        for (SshServer host : hosts.all()) {
            Files.writeString(host.root().resolve("address"), host.host());
            // Nothing is live yet: the front answers 503 until the first switch names a slot.
            Files.writeString(host.root().resolve("live-upstream.conf"), "return 503;\n");
        }
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            // Free when asked, but another process may take one before nginx binds it: then try others.
            bluePort = freePort();
            greenPort = freePort();
            frontPort = freePort();
            Files.writeString(nginxConfig, nginxConfig(dir));
            Files.deleteIfExists(dir.resolve("error.log"));
            nginx = new ProcessBuilder(NGINX, "-p", dir.toString(), "-c", nginxConfig.toString(), "-g", "daemon off;")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
            if (everyFrontAnswers503()) {
                return;
            }
            String log = Files.readString(dir.resolve("stdout.log"));
            if (!log.contains("Address already in use")) {
                throw new AssertionError("nginx exited with " + nginx.exitValue() + ":\n" + log);
            }
        }
        throw new AssertionError("nginx found no free ports in " + PORT_ATTEMPTS + " attempts");
    }

    /** Two slots and a front per host, each on its own loopback address. */
    private String nginxConfig(Path dir) {
        StringBuilder servers = new StringBuilder();
        for (SshServer host : hosts.all()) {
            Path root = host.root();
            servers.append(server(host.host(), bluePort, "root " + root.resolve("slots/blue") + ";"))
                    .append(server(host.host(), greenPort, "root " + root.resolve("slots/green") + ";"))
                    .append(server(
                            host.host(),
                            frontPort,
                            "location / { include " + root.resolve("live-upstream.conf") + "; }"));
        }
        return String.join(
                "\n",
                "root".equals(System.getProperty("user.name")) ? "user root;" : "",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " notice;",
                "events { worker_connections 512; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  proxy_temp_path " + dir.resolve("proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("scgi") + ";",
                "  default_type text/plain;",
                servers.toString(),
                "}",
                "");
    }

    /** True once every front answers 503 (nginx listens); false if nginx exits first (it could not bind). */
    private boolean everyFrontAnswers503() throws Exception {
        for (SshServer host : hosts.all()) {
            URI url = URI.create("http://" + host.host() + ":" + frontPort + "/");
            if (!awaitAnswer(url, 503, null, () -> !nginx.isAlive())) {
                return false;
            }
        }
        return true;
    }

    @After
    public void stopNginx() throws InterruptedException {
        if (nginx == null) {
            return;
        }
        // SIGTERM: the master stops its workers, then exits. SIGKILL would leave the workers running.
        nginx.destroy();
        if (!nginx.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            nginx.descendants().forEach(ProcessHandle::destroyForcibly);
            nginx.destroyForcibly().waitFor();
        }
    }

    @Test
    public void theWebServerServesTheRightReleaseThroughoutASwitchAndAnInstantSwitchBack() throws Exception {
        Environment prod = environment();
        assertThat(deploy(prod, "r1").outcome()).isEqualTo(Outcome.SUCCEEDED);
        awaitEveryFront("release r1\n");
        assertThat(slots(0)).isEqualTo(Map.of("blue", "r1"));

        List<Poller> pollers = startPollers();
        DeploymentResult deployed = deploy(prod, "r2");
        assertThat(deployed.outcome())
                .as(deployed.cause() + "\n" + String.join("\n", progress.lines()))
                .isEqualTo(Outcome.SUCCEEDED);
        awaitEveryFront("release r2\n");
        DeploymentResult back =
                engine.rollback(prod, new ReturnRequest(ReleaseSelector.byDefault(), false, "tester", "switch back"));
        assertThat(back.outcome())
                .as(back.cause() + "\n" + String.join("\n", progress.lines()))
                .isEqualTo(Outcome.SUCCEEDED);
        awaitEveryFront("release r1\n");
        stopOnceEachHasSeen(pollers, "release r1\n");

        assertThat(deployed.outcome()).as(deployed.cause()).isEqualTo(Outcome.SUCCEEDED);
        // r2 went to the idle slot and was judged there, by the gate, before anything switched.
        assertThat(deployed.gates()).hasSize(1);
        assertThat(progress.lines())
                .containsSubsequence(
                        "[slot] Putting r2 on the idle slot of every target",
                        "[verify] Verifying r2 with 1 gate: idle-slot",
                        "[switch] Switching prod to r2");
        // Going back only switched the pointer: r1 still ran in the blue slot; nothing was staged or started.
        assertThat(back.plan().targets()).extracting(TargetStep::action).containsOnly(TargetAction.SWITCH);
        for (int i = 0; i < HOSTS; i++) {
            assertThat(slots(i)).as("web-" + (i + 1)).isEqualTo(Map.of("blue", "r1", "green", "r2"));
            assertThat(Files.readSymbolicLink(hosts.get(i).root().resolve("current")))
                    .hasToString("releases/r1");
            assertThat(Files.readAllLines(hosts.get(i).root().resolve("started.log")))
                    .as("the slots started on web-" + (i + 1))
                    .containsExactly("blue r1", "green r2");
        }
        // A client polling every front during the switch and the switch back saw no error, only r1
        // then r2 then r1, each host changing at most twice.
        for (Poller poller : pollers) {
            assertThat(poller.failures).as(poller.url.toString()).isEmpty();
            assertThat(poller.bodies).as(poller.url.toString()).isNotEmpty();
            assertThat(changes(poller.bodies))
                    .as(poller.url.toString())
                    .containsExactly("release r1\n", "release r2\n", "release r1\n");
        }
    }

    @Test
    public void aReleaseFailingItsGateOnTheIdleSlotIsNeverSwitchedTo() throws Exception {
        Environment prod = environment();
        deploy(prod, "r1");
        awaitEveryFront("release r1\n");

        DeploymentResult result = engine.deploy(
                prod,
                new DeployRequest(
                        releases.prepare("r2", Map.of("index.html", "broken\n")).release(),
                        releases.prepare("r2", Map.of("index.html", "broken\n")).source(),
                        "tester",
                        null));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.cause()).contains("r1 is still live");
        for (int i = 0; i < HOSTS; i++) {
            assertThat(Files.readSymbolicLink(hosts.get(i).root().resolve("current")))
                    .hasToString("releases/r1");
            assertThat(slots(i)).isEqualTo(Map.of("blue", "r1", "green", "r2"));
        }
        awaitEveryFront("release r1\n");
    }

    // ---- fixture -------------------------------------------------------------------------------

    private Environment environment() {
        List<Target> targets = new ArrayList<>();
        for (SshServer host : hosts.all()) {
            targets.add(host.target(host.name()));
        }
        // Starting a slot: with nginx serving the slot's link there is nothing to start, so the hook
        // only notes which slot would be (re)started, and only when the slot was just pointed.
        Hook start = new Hook(
                "start-slot",
                HookPhase.BEFORE_SWITCH,
                RunOn.BOTH,
                "[ \"$DEPLOY_SLOT_FRESH\" = true ] || exit 0; echo \"$DEPLOY_SLOT $DEPLOY_RELEASE\" >> \"$DEPLOY_ROOT/started.log\"",
                Duration.ofSeconds(30));
        Hook follow = new Hook(
                "point-load-balancer",
                HookPhase.AFTER_SWITCH,
                RunOn.BOTH,
                "printf 'proxy_pass http://$server_addr:%s;\\n' \"$DEPLOY_SLOT_PORT\" > \"$DEPLOY_ROOT/live-upstream.conf.new\""
                        + " && mv -f \"$DEPLOY_ROOT/live-upstream.conf.new\" \"$DEPLOY_ROOT/live-upstream.conf\""
                        + " && " + NGINX + " -c " + nginxConfig + " -s reload",
                Duration.ofSeconds(30));
        CommandCheck idleSlot = new CommandCheck(
                "idle-slot",
                "test \"$(curl -fsS \"http://$(cat \"$DEPLOY_ROOT/address\"):$DEPLOY_SLOT_PORT/index.html\")\""
                        + " = \"release $DEPLOY_RELEASE\"",
                CommandCheck.Where.TARGETS,
                Duration.ofSeconds(20),
                false);
        return new Environment(
                        EnvironmentName.of("prod"),
                        targets,
                        List.of(start, follow),
                        List.of(new Gate("idle-slot", List.of(idleSlot), GateWindow.of(1, Duration.ZERO))),
                        List.of(),
                        null,
                        Duration.ofMinutes(5),
                        true,
                        Map.of(),
                        5,
                        new GatePolicy(InconclusiveAction.FAIL, List.of(), null, false))
                .withStrategy(new Strategy.BlueGreen(bluePort, greenPort));
    }

    private DeploymentResult deploy(Environment environment, String id) throws IOException {
        ReleaseFolders.Prepared prepared = releases.healthy(id);
        return engine.deploy(environment, new DeployRequest(prepared.release(), prepared.source(), "tester", null));
    }

    private static String server(String address, int port, String body) {
        return "  server { listen " + address + ":" + port + "; " + body + " }\n";
    }

    private Map<String, String> slots(int index) throws IOException {
        TargetState state;
        try (var session = hosts.get(index)
                .target(hosts.get(index).name())
                .open(new io.jenkins.plugins.deployrollback.engine.targets.OperationContext(
                        EnvironmentName.of("prod"),
                        io.jenkins.plugins.deployrollback.engine.history.Operation.DEPLOY,
                        "tester",
                        Clock.systemUTC(),
                        null))) {
            state = session.inspect();
        }
        Map<String, String> slots = new java.util.TreeMap<>();
        state.slots().forEach((slot, release) -> slots.put(slot, release.value()));
        return slots;
    }

    private static int freePort() throws IOException {
        return FreePorts.on(SshServers.addressOf(1));
    }

    private void awaitEveryFront(String body) throws Exception {
        for (SshServer host : hosts.all()) {
            awaitAnswer(URI.create("http://" + host.host() + ":" + frontPort + "/index.html"), 200, body);
        }
    }

    /** nginx reloads in the background: waits until {@code url} answers {@code status} (and {@code body}). */
    private void awaitAnswer(URI url, int status, String body) throws Exception {
        awaitAnswer(url, status, body, () -> false);
    }

    /**
     * {@link #awaitAnswer(URI, int, String)}, or false as soon as {@code giveUp} is true with no such answer.
     */
    private boolean awaitAnswer(URI url, int status, String body, java.util.function.BooleanSupplier giveUp)
            throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            boolean lastTry = giveUp.getAsBoolean();
            try {
                HttpResponse<String> answer = client.send(
                        HttpRequest.newBuilder(url)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                last = answer.statusCode() + " " + answer.body();
                if (answer.statusCode() == status && (body == null || body.equals(answer.body()))) {
                    return true;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            if (lastTry) {
                return false;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(url + " did not answer " + status + " " + body + " within 15 s; last: " + last
                + "\nwhat each front includes:\n" + includes()
                + "\nnginx error log:\n" + Files.readString(nginxConfig.resolveSibling("error.log")));
    }

    private String includes() throws IOException {
        StringBuilder includes = new StringBuilder();
        for (SshServer host : hosts.all()) {
            includes.append("  ")
                    .append(host.host())
                    .append(": ")
                    .append(Files.readString(host.root().resolve("live-upstream.conf")));
        }
        return includes.toString();
    }

    private List<Poller> startPollers() {
        List<Poller> pollers = new ArrayList<>();
        for (SshServer host : hosts.all()) {
            Poller poller = new Poller(URI.create("http://" + host.host() + ":" + frontPort + "/index.html"));
            poller.thread.start();
            pollers.add(poller);
        }
        return pollers;
    }

    /**
     * Stops every poller once it has itself received {@code last}: a client that had just sent a request
     * when the final switch happened must still see its effect, so each poller goes on until it does
     * (at most {@link Poller#LAST_ANSWER}, then the test fails).
     */
    private static void stopOnceEachHasSeen(List<Poller> pollers, String last) throws InterruptedException {
        for (Poller poller : pollers) {
            poller.stopAfter(last);
        }
        for (Poller poller : pollers) {
            poller.thread.join();
        }
        for (Poller poller : pollers) {
            assertThat(poller.sawLast)
                    .as(
                            "%s answered %s within %s of the switch back; it answered %s",
                            poller.url, last.strip(), Poller.LAST_ANSWER, changes(poller.bodies))
                    .isTrue();
        }
    }

    /** The distinct values of {@code bodies} in order, each repeat collapsed. */
    private static List<String> changes(List<String> bodies) {
        List<String> changes = new ArrayList<>();
        for (String body : bodies) {
            if (changes.isEmpty() || !changes.get(changes.size() - 1).equals(body)) {
                changes.add(body);
            }
        }
        return changes;
    }

    /** A client asking one front over and over, keeping every answer and every failure. */
    private static final class Poller {
        /** How long a poller asked to stop may take to see the last state, on a loaded machine. */
        static final Duration LAST_ANSWER = Duration.ofSeconds(30);

        final URI url;
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final Thread thread;
        /** Set once: the answer after which the poller stops. */
        private volatile String last;

        private volatile long stopBy;
        /** Written by the poller before it ends; read after {@code thread.join()}. */
        boolean sawLast;

        Poller(URI url) {
            this.url = url;
            this.thread = new Thread(this::poll, "poller " + url);
        }

        void stopAfter(String body) {
            stopBy = System.nanoTime() + LAST_ANSWER.toNanos();
            last = body;
        }

        private void poll() {
            HttpClient client = HttpClient.newHttpClient();
            while (true) {
                String stopAt = last;
                if (stopAt != null && System.nanoTime() - stopBy > 0) {
                    return; // never saw it: stopOnceEachHasSeen fails the test
                }
                try {
                    HttpResponse<String> answer = client.send(
                            HttpRequest.newBuilder(url)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        bodies.add(answer.body());
                        // Only an answer to a request sent after the stop was asked for counts as the last.
                        if (stopAt != null && stopAt.equals(answer.body())) {
                            sawLast = true;
                            return;
                        }
                    } else {
                        failures.add(answer.statusCode() + " " + answer.body());
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                // A steady client, not a flood: five of them must leave the two cores to the deploy.
                java.util.concurrent.locks.LockSupport.parkNanos(
                        Duration.ofMillis(5).toNanos());
            }
        }
    }
}

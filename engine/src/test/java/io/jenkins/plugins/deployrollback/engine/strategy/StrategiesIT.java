package io.jenkins.plugins.deployrollback.engine.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.flow.ReturnRequest;
import io.jenkins.plugins.deployrollback.engine.gate.CanaryCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.gate.GateWindow;
import io.jenkins.plugins.deployrollback.engine.gate.InconclusiveAction;
import io.jenkins.plugins.deployrollback.engine.gate.TargetLatencySource;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.plan.PlanRefusedException;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.testing.Ledgers;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Rolling and canary deployments over five real sshd hosts, each on its own loopback address with
 * its own web server on the same port (as one service on five hosts).
 */
public class StrategiesIT {
    private static final int HOSTS = 5;
    private static final EnvironmentName PROD = EnvironmentName.of("prod");
    /** After-switch hook: fails on a target whose root holds a file named fail-after-switch. */
    private static final Hook CHECK_AFTER_SWITCH = new Hook(
            "smoke",
            HookPhase.AFTER_SWITCH,
            RunOn.DEPLOY,
            "if [ -e \"$DEPLOY_ROOT/fail-after-switch\" ]; then echo \"smoke test failed on $DEPLOY_TARGET\" >&2; exit 1; fi",
            Duration.ofSeconds(30));

    @Rule
    public final SshServers hosts = new SshServers(HOSTS, true);

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private final RecordingProgress progress = new RecordingProgress();
    private final List<ReleaseServer> web = new ArrayList<>();
    private DeploymentEngine engine;
    private ReleaseFolders releases;
    private FileHistoryStore history;

    @Before
    public void setUp() throws IOException {
        Path base = temp.getRoot().toPath();
        history = new FileHistoryStore(base.resolve("state/history"));
        engine = new DeploymentEngine(
                history, new FileArtifactStore(base.resolve("state/artifacts")), progress, Clock.systemUTC());
        releases = new ReleaseFolders(base);
        List<Path> roots = hosts.all().stream().map(SshServer::root).toList();
        List<String> addresses = hosts.all().stream().map(SshServer::host).toList();
        web.addAll(ReleaseServer.onAddresses(roots, addresses));
    }

    @After
    public void stopWebServers() {
        web.forEach(ReleaseServer::close);
    }

    @Test
    public void aRollingDeploymentWhoseSecondBatchFailsSwitchesThePreviousBatchesBackAndNeverTouchesTheRest()
            throws Exception {
        Environment prod = environment(new Strategy.Rolling(TargetCount.count(2), 0), List.of());
        deploy(prod, "r1");
        Files.writeString(hosts.get(2).root().resolve("fail-after-switch"), "");
        int before = progress.lines().size();

        DeploymentResult result = deploy(prod, "r2");
        List<String> told = progress.lines().subList(before, progress.lines().size());

        assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(result.live()).isEqualTo(ReleaseId.of("r1"));
        assertThat(result.cause())
                .contains("smoke test failed on web-3")
                .contains("Rolled back to r1 on web-1, web-2, web-3, web-4; the other targets were not switched");
        for (int i = 0; i < HOSTS; i++) {
            assertThat(live(i)).as("web-" + (i + 1)).isEqualTo("releases/r1");
            assertThat(page(i)).isEqualTo("release r1\n");
        }
        // Batch 1 (web-1, web-2) went live, batch 2 (web-3, web-4) failed: all four went back to r1.
        assertThat(switches(0)).containsExactly("null->r1", "r1->r2", "r2->r1");
        assertThat(switches(3)).containsExactly("null->r1", "r1->r2", "r2->r1");
        // Batch 3 was never started.
        assertThat(switches(4)).containsExactly("null->r1");
        assertThat(told).contains("[step] Step 1 of 3: web-1, web-2 (2 of 5 targets)");
        assertThat(told).noneMatch(s -> s.startsWith("[step] Step 3 of 3"));
    }

    @Test
    public void aRollingDeploymentAllowingAFailedTargetLeavesItOnTheOldReleaseAndTheNextDeployCompletesIt()
            throws Exception {
        Environment prod = environment(new Strategy.Rolling(TargetCount.percent(40), 1), List.of());
        deploy(prod, "r1");
        Path broken = Files.writeString(hosts.get(2).root().resolve("fail-after-switch"), "");

        DeploymentResult partly = deploy(prod, "r2");

        assertThat(partly.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(partly.cause())
                .startsWith("r2 is live on 4 of 5 targets; web-3 stays on r1: web-3 (hook smoke (afterSwitch, deploy)"
                        + " failed")
                .endsWith("Fix the cause, then deploy r2 again to complete it.");
        assertThat(partly.record().warnings()).isEmpty();
        assertThat(List.of(live(0), live(1), live(2), live(3), live(4)))
                .containsExactly("releases/r2", "releases/r2", "releases/r1", "releases/r2", "releases/r2");
        assertThat(engine.status(prod).consistent()).isFalse();

        Files.delete(broken);
        DeploymentResult completed = deploy(prod, "r2");

        assertThat(completed.outcome()).isEqualTo(Outcome.SUCCEEDED);
        for (int i = 0; i < HOSTS; i++) {
            assertThat(live(i)).isEqualTo("releases/r2");
        }
        assertThat(switches(2)).containsExactly("null->r1", "r1->r2", "r2->r1", "r1->r2");
        assertThat(switches(0)).containsExactly("null->r1", "r1->r2");
        assertThat(engine.status(prod).consistent()).isTrue();
    }

    @Test
    public void aRollingDeploymentPastItsAllowanceRollsEveryMovedTargetBack() throws Exception {
        Environment prod = environment(new Strategy.Rolling(TargetCount.count(1), 1), List.of());
        deploy(prod, "r1");
        Files.writeString(hosts.get(1).root().resolve("fail-after-switch"), "");
        Files.writeString(hosts.get(3).root().resolve("fail-after-switch"), "");

        DeploymentResult result = deploy(prod, "r2");

        assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(result.cause()).startsWith("2 targets failed, more than the 1 the rolling deployment allows");
        for (int i = 0; i < HOSTS; i++) {
            assertThat(live(i)).isEqualTo("releases/r1");
        }
        assertThat(switches(4)).containsExactly("null->r1");
    }

    @Test
    public void aCanaryWhoseFirstStepIsSlowerThanTheBaselineSwitchesOneHostBackAndLeavesTheOthersUntouched()
            throws Exception {
        Environment prod = environment(
                new Strategy.Canary(List.of(TargetCount.count(1), TargetCount.percent(50), TargetCount.percent(100))),
                List.of(latencyGate(0.25)));
        deploy(prod, "r1");

        DeploymentResult result = engine.deploy(
                prod,
                new DeployRequest(
                        releases.prepare("r2", Map.of("index.html", "release r2\n", "behaviour", "delayMs=40\n"))
                                .release(),
                        releases.prepare("r2", Map.of("index.html", "release r2\n", "behaviour", "delayMs=40\n"))
                                .source(),
                        "tester",
                        null));

        assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(result.gates()).hasSize(1);
        assertThat(result.gates().get(0).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.gates().get(0).describe()).contains("worse");
        assertThat(result.cause())
                .as(String.join("\n", progress.lines()))
                .contains("Rolled back to r1 on web-1; the other targets were not switched");
        assertThat(switches(0)).containsExactly("null->r1", "r1->r2", "r2->r1");
        for (int i = 1; i < HOSTS; i++) {
            assertThat(switches(i)).as("web-" + (i + 1)).containsExactly("null->r1");
        }
        for (int i = 0; i < HOSTS; i++) {
            assertThat(page(i)).isEqualTo("release r1\n");
        }
    }

    @Test
    public void aHealthyCanaryGoesStepByStepComparingSwitchedHostsWithTheOthersUntilEveryHostServesIt()
            throws Exception {
        Environment prod = environment(
                new Strategy.Canary(List.of(TargetCount.count(1), TargetCount.percent(50))), List.of(latencyGate(5)));
        deploy(prod, "r1");

        DeploymentResult result = deploy(prod, "r2");

        assertThat(result.outcome()).as(result.cause()).isEqualTo(Outcome.SUCCEEDED);
        // Steps 1/5 and 3/5 compared both sides; after 5/5 there is no baseline left, so the gate had no check.
        assertThat(result.gates()).hasSize(2);
        assertThat(result.gates()).allMatch(g -> g.verdict() == Verdict.PASS);
        assertThat(progress.lines())
                .contains("[step] Step 1 of 3: web-1 (1 of 5 targets)")
                .contains("[step] Step 2 of 3: web-2, web-3 (3 of 5 targets)")
                .contains("[step] Step 3 of 3: web-4, web-5 (5 of 5 targets)");
        assertThat(progress.lines())
                .anyMatch(line -> line.startsWith("Gate latency: canary checks across targets left out: no target"
                        + " serves the release before now"));
        for (int i = 0; i < HOSTS; i++) {
            assertThat(page(i)).isEqualTo("release r2\n");
        }
    }

    @Test
    public void aRollbackAcrossADeclaredMigrationIsRefusedThenAllowedWithTheOverride() throws Exception {
        Environment prod = environment(new Strategy.Rolling(TargetCount.count(2), 0), List.of());
        deploy(prod, "r1");
        deploy(prod, "r2", Release.SCHEMA_MIGRATION);

        Assertions.assertThatThrownBy(() -> engine.rollback(
                        prod, new ReturnRequest(ReleaseSelector.byDefault(), false, "tester", "r2 is slow")))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("Rolling back to r1 crosses r2, which declares schemaMigration")
                .hasMessageContaining("Roll forward with a fix instead, or pass --force");
        for (int i = 0; i < HOSTS; i++) {
            assertThat(live(i)).isEqualTo("releases/r2");
        }

        DeploymentResult forced =
                engine.rollback(prod, new ReturnRequest(ReleaseSelector.byDefault(), true, "tester", "r2 is slow"));

        assertThat(forced.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(forced.record().warnings())
                .anyMatch(w -> w.startsWith("overridden with --force: Rolling back to r1 crosses r2"));
        for (int i = 0; i < HOSTS; i++) {
            assertThat(live(i)).isEqualTo("releases/r1");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Environment environment(Strategy strategy, List<Gate> gates) {
        List<Target> targets = new ArrayList<>();
        for (SshServer host : hosts.all()) {
            targets.add(host.target(host.name()));
        }
        return new Environment(
                        PROD,
                        targets,
                        List.of(CHECK_AFTER_SWITCH),
                        gates,
                        List.of(),
                        null,
                        Duration.ofMinutes(5),
                        true,
                        Map.of(),
                        5,
                        new GatePolicy(InconclusiveAction.FAIL, List.of(), null, false))
                .withStrategy(strategy);
    }

    /** A canary check of the latency of / on the switched hosts against the others, 60 requests a side. */
    private Gate latencyGate(double allowedEffect) {
        String url =
                "http://" + TargetLatencySource.HOST + ":" + web.get(0).url("/").getPort() + "/";
        CanaryCheck check = new CanaryCheck(
                "latency",
                new TargetLatencySource(url, 60, null, null),
                new TargetLatencySource(url, 60, null, null),
                CanaryCheck.Worse.HIGHER,
                0.98,
                allowedEffect,
                30,
                false);
        return new Gate("latency", List.of(check), GateWindow.of(1, Duration.ZERO));
    }

    private DeploymentResult deploy(Environment environment, String id, String... facts) throws IOException {
        ReleaseFolders.Prepared prepared = releases.healthy(id, facts);
        return engine.deploy(environment, new DeployRequest(prepared.release(), prepared.source(), "tester", null));
    }

    private String live(int index) throws IOException {
        Path current = hosts.get(index).root().resolve("current");
        return Files.isSymbolicLink(current) ? Files.readSymbolicLink(current).toString() : null;
    }

    private String page(int index) throws IOException, InterruptedException {
        var client = java.net.http.HttpClient.newHttpClient();
        return client.send(
                        java.net.http.HttpRequest.newBuilder(web.get(index).url("/"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private List<String> switches(int index) throws IOException {
        return Ledgers.switches(hosts.get(index).root());
    }
}

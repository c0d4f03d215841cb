package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.ReturnRequest;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.testing.ManualClock;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Connections kept between operations: reused while they may be, never when they must not be. */
public class SshConnectionPoolIT {
    private static final EnvironmentName PRODUCTION = EnvironmentName.of("production");
    private static final Duration IDLE = Duration.ofMinutes(5);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Rule
    public SshServers hosts = new SshServers(3);

    private final RecordingProgress progress = new RecordingProgress();
    private final AtomicLong now = new AtomicLong();
    private SshConnectionPool pool;
    private DeploymentEngine engine;
    private ReleaseFolders releases;

    @Before
    public void setUp() throws IOException {
        Path state = temp.newFolder("state").toPath();
        engine = new DeploymentEngine(
                new FileHistoryStore(state.resolve("history")),
                new FileArtifactStore(state.resolve("artifacts")),
                progress,
                Clock.systemUTC());
        releases = new ReleaseFolders(temp.newFolder("releases").toPath());
        pool = new SshConnectionPool(10, IDLE, now::get);
    }

    @After
    public void closePool() {
        pool.close();
    }

    private Environment environment(UnaryOperator<SshTarget> each) {
        List<SshTarget> targets = hosts.all().stream()
                .map(host -> each.apply(host.target(host.name())).withPool(pool))
                .toList();
        return new Environment(
                PRODUCTION, List.copyOf(targets), List.of(), List.of(), List.of(), null, null, true, Map.of(), 5);
    }

    private Environment pooled() {
        return environment(UnaryOperator.identity());
    }

    private void deploy(Environment environment, String release) throws IOException {
        ReleaseFolders.Prepared prepared = releases.healthy(release);
        assertThat(engine.deploy(environment, new DeployRequest(prepared.release(), prepared.source(), "tester", null))
                        .outcome())
                .isEqualTo(Outcome.SUCCEEDED);
    }

    private void rollback(Environment environment) throws IOException {
        assertThat(engine.rollback(environment, new ReturnRequest(ReleaseSelector.byDefault(), false, "tester", null))
                        .outcome())
                .isEqualTo(Outcome.SUCCEEDED);
    }

    private static String live(SshServer host) throws IOException {
        return Files.readSymbolicLink(host.root().resolve("current")).toString();
    }

    @Test
    public void operationsAfterTheFirstLogInToNoHost() throws Exception {
        deploy(pooled(), "r1");
        assertThat(pool.opened()).isEqualTo(3);
        assertThat(pool.idleCount()).isEqualTo(3);

        deploy(pooled(), "r2");
        rollback(pooled());

        assertThat(pool.opened()).as("logins").isEqualTo(3);
        assertThat(pool.reused()).isEqualTo(6);
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).as(host.name()).isEqualTo("releases/r1");
        }
        assertThat(pool.describe()).isEqualTo("3 opened, 6 reused, 3 idle (at most 10, closed after 300 s unused)");
    }

    @Test
    public void aRollbackCostsFourRoundTripsPerHost() throws Exception {
        // A clock that moves only when told: no lock renewal falls due during the operation.
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T09:00:00Z"));
        engine = new DeploymentEngine(
                new FileHistoryStore(temp.newFolder("timed").toPath()),
                new FileArtifactStore(temp.newFolder("timed-artifacts").toPath()),
                progress,
                clock);
        deploy(pooled(), "r1");
        clock.advance(Duration.ofMinutes(1));
        deploy(pooled(), "r2");
        clock.advance(Duration.ofMinutes(1));
        long before = pool.scriptsRun();

        rollback(pooled());

        // Lock and look, check the release is as staged, switch (recording it), unlock.
        assertThat(pool.scriptsRun() - before).as("scripts run on 3 hosts").isEqualTo(3 * 4);
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).as(host.name()).isEqualTo("releases/r1");
        }
    }

    @Test
    public void aHostRestartedWhileItsConnectionWaitedGetsANewOneWithoutARetry() throws Exception {
        deploy(pooled(), "r1");
        deploy(pooled(), "r2");
        hosts.get(1).kill();
        hosts.get(1).restart();

        rollback(pooled());

        assertThat(live(hosts.get(1))).isEqualTo("releases/r1");
        assertThat(pool.opened()).as("one new login, for the restarted host").isEqualTo(4);
        assertThat(progress.warnings()).noneMatch(w -> w.contains("retry"));
    }

    @Test
    public void aHostKeyRemovedFromKnownHostsSinceTheLastOperationIsRefusedOnReuse() throws Exception {
        Path knownHosts = temp.newFile("known_hosts").toPath();
        Files.write(
                knownHosts, hosts.all().stream().map(SshServer::knownHostsLine).toList());
        UnaryOperator<SshTarget> fromFile = target -> new SshTarget(
                target.name(),
                target.host(),
                target.port(),
                target.root(),
                target.credentials(),
                HostKeyVerification.knownHostsFile(knownHosts),
                target.settings());
        deploy(environment(fromFile), "r1");
        deploy(environment(fromFile), "r2");
        SshServer revoked = hosts.get(2);
        Files.write(
                knownHosts, List.of(hosts.get(0).knownHostsLine(), hosts.get(1).knownHostsLine()));

        assertThatThrownBy(() -> rollback(environment(fromFile)))
                .hasMessageContaining(
                        "The host key of " + revoked.name() + " (127.0.0.1:" + revoked.port() + ") is unknown");

        for (SshServer host : hosts.all()) {
            assertThat(live(host)).as(host.name()).isEqualTo("releases/r2");
        }
    }

    @Test
    public void anIdleConnectionIsClosedAfterTheExpiryAndTheNextOperationLogsInAgain() throws Exception {
        deploy(pooled(), "r1");
        now.addAndGet(IDLE.toNanos() - 1);
        pool.expireIdle();
        assertThat(pool.idleCount()).as("before the expiry").isEqualTo(3);

        now.addAndGet(1);
        pool.expireIdle();
        assertThat(pool.idleCount()).as("at the expiry").isZero();

        deploy(pooled(), "r2");
        assertThat(pool.opened()).isEqualTo(6);
        assertThat(pool.reused()).isZero();
    }

    @Test
    public void atMostMaxIdleConnectionsWaitTheOldestClosedFirst() throws Exception {
        pool.close();
        pool = new SshConnectionPool(2, IDLE, now::get);

        deploy(pooled(), "r1");

        assertThat(pool.idleCount()).isEqualTo(2);
        deploy(pooled(), "r2");
        assertThat(pool.opened()).isEqualTo(4);
        assertThat(pool.reused()).isEqualTo(2);
    }

    @Test
    public void targetsWithOtherSettingsOrKeysDoNotShareALogin() throws Exception {
        deploy(pooled(), "r1");

        SshSettings slower = new SshSettings(
                Duration.ofSeconds(6),
                SshServer.TEST_SETTINGS.commandTimeout(),
                SshServer.TEST_SETTINGS.keepAlive(),
                SshServer.TEST_SETTINGS.retry());
        deploy(
                environment(target -> new SshTarget(
                        target.name(),
                        target.host(),
                        target.port(),
                        target.root(),
                        target.credentials(),
                        target.hostKeys(),
                        slower)),
                "r2");

        assertThat(pool.opened()).isEqualTo(6);
        assertThat(pool.idleCount()).isEqualTo(6);
    }

    @Test
    public void aClosedPoolKeepsNothingAndClosesWhatIsGivenBack() throws Exception {
        deploy(pooled(), "r1");
        pool.close();
        assertThat(pool.idleCount()).isZero();

        deploy(pooled(), "r2");

        assertThat(pool.idleCount()).isZero();
        assertThat(pool.opened()).isEqualTo(6);
    }
}

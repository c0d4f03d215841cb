package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseReader;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What goes wrong with real SSH hosts: hosts down, killed mid-upload, wrong keys. */
public class SshFaultsIT {
    private static final EnvironmentName PRODUCTION = EnvironmentName.of("production");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Rule
    public SshServers hosts = new SshServers(5);

    private final RecordingProgress progress = new RecordingProgress();
    private DeploymentEngine engine;
    private ReleaseFolders releases;
    private FileHistoryStore history;

    @Before
    public void setUp() throws IOException {
        Path state = temp.newFolder("state").toPath();
        history = new FileHistoryStore(state.resolve("history"));
        engine = new DeploymentEngine(
                history, new FileArtifactStore(state.resolve("artifacts")), progress, Clock.systemUTC());
        releases = new ReleaseFolders(temp.newFolder("releases").toPath());
    }

    private Environment environment(List<? extends Target> targets) {
        return new Environment(
                PRODUCTION, List.copyOf(targets), List.of(), List.of(), List.of(), null, null, true, Map.of(), 5);
    }

    private Environment allHosts() {
        return environment(hosts.targets());
    }

    private DeploymentResult deploy(Environment environment, ReleaseFolders.Prepared release) throws IOException {
        return engine.deploy(environment, new DeployRequest(release.release(), release.source(), "tester", null));
    }

    private static String live(SshServer host) throws IOException {
        Path current = host.root().resolve("current");
        return Files.isSymbolicLink(current) ? Files.readSymbolicLink(current).toString() : null;
    }

    private static List<String> ls(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A release of {@code files} files of {@code megabytes} MB of random bytes each. */
    private ReleaseFolders.Prepared bigRelease(String id, int files, int megabytes) throws IOException {
        Path folder = temp.newFolder("big-" + id).toPath();
        Random random = new Random(id.hashCode());
        byte[] chunk = new byte[1024 * 1024];
        for (int f = 1; f <= files; f++) {
            try (OutputStream out = Files.newOutputStream(folder.resolve("part-" + f + ".bin"))) {
                for (int mb = 0; mb < megabytes; mb++) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
        }
        ArtifactSource source = ArtifactSource.of(folder);
        return new ReleaseFolders.Prepared(
                new Release(ReleaseId.of(id), id, null, Set.of(), ReleaseReader.read(source)), source);
    }

    @Test
    public void oneHostOfFiveDownNothingSwitchesAndTheReportNamesTheHost() throws Exception {
        assertThat(deploy(allHosts(), releases.healthy("r1")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        hosts.get(3).kill();

        ReleaseFolders.Prepared r2 = releases.healthy("r2");
        assertThatThrownBy(() -> deploy(allHosts(), r2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(
                        "Locking production failed on 1 of 5 targets: web-4: Connection to web-4 (127.0.0.1:"
                                + hosts.get(3).port() + ") refused")
                .hasMessageContaining("The locks taken on the other targets were released.");
        for (int i : new int[] {0, 1, 2, 4}) {
            assertThat(live(hosts.get(i))).as("web-%d", i + 1).isEqualTo("releases/r1");
            assertThat(hosts.get(i).root().resolve(".deploy/lock"))
                    .as("no lock left on web-%d", i + 1)
                    .doesNotExist();
        }
        // Connection refused passes on its own often enough: it was retried, visibly, before failing.
        assertThat(progress.warnings()).anyMatch(w -> w.contains("web-4: lock failed") && w.contains("retry 1 of 2"));
        assertThat(progress.warnings()).anyMatch(w -> w.contains("web-4: lock failed") && w.contains("retry 2 of 2"));

        hosts.get(3).restart();
        assertThat(deploy(allHosts(), r2).outcome()).isEqualTo(Outcome.SUCCEEDED);
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).isEqualTo("releases/r2");
        }
    }

    @Test
    public void sshdKilledMidUploadLeavesTheOldReleaseServingAndTheNextDeployCleansUpAndSucceeds() throws Exception {
        SshServer host = hosts.get(0);
        Environment one = environment(List.of(host.target("web-1")));
        assertThat(deploy(one, releases.healthy("r1")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        ReleaseFolders.Prepared big = bigRelease("r2", 3, 32);

        CompletableFuture<DeploymentResult> deploying = CompletableFuture.supplyAsync(() -> {
            try {
                return deploy(one, big);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitUploaded(host.root().resolve(".deploy/staging"), 4L * 1024 * 1024);
        host.kill();
        DeploymentResult failed = deploying.get(60, TimeUnit.SECONDS);

        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.cause()).contains("web-1");
        assertThat(live(host)).isEqualTo("releases/r1");
        assertThat(ls(host.root().resolve("releases"))).containsExactly("r1");
        assertThat(ls(host.root().resolve(".deploy/staging")))
                .as("the partial upload is left in staging, never in releases/")
                .isNotEmpty();

        host.restart();
        DeploymentResult retried = deploy(one, big);

        assertThat(retried.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(live(host)).isEqualTo("releases/r2");
        assertThat(progress.lines()).anyMatch(l -> l.contains("left by an interrupted operation"));
        assertThat(host.root().resolve("releases/r2/part-3.bin"))
                .hasSameBinaryContentAs(big.source().path().resolve("part-3.bin"));
        assertThat(ls(host.root().resolve(".deploy/staging"))).isEmpty();
    }

    @Test
    public void connectionLostMidUploadIsRetriedOnceTheHostIsBackAndTheRetryIsRecorded() throws Exception {
        SshServer host = hosts.get(0);
        CountDownLatch killed = new CountDownLatch(1);
        // The first retry waits for sshd to be killed and started again instead of sleeping.
        SshTarget target = host.target("web-1").withRetryPause(delay -> {
            try {
                killed.await();
                if (!host.isRunning()) {
                    host.restart();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Environment one = environment(List.of(target));
        assertThat(deploy(one, releases.healthy("r1")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        ReleaseFolders.Prepared big = bigRelease("r2", 3, 32);

        CompletableFuture<DeploymentResult> deploying = CompletableFuture.supplyAsync(() -> {
            try {
                return deploy(one, big);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitUploaded(host.root().resolve(".deploy/staging"), 4L * 1024 * 1024);
        host.kill();
        killed.countDown();
        DeploymentResult result = deploying.get(60, TimeUnit.SECONDS);

        assertThat(result.outcome())
                .as("%s\n%s", result.cause(), String.join("\n", progress.lines()))
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(live(host)).isEqualTo("releases/r2");
        assertThat(progress.warnings())
                .anyMatch(w -> w.contains("web-1: stage r2 failed (The connection to web-1 was lost")
                        && w.contains("retry 1 of 2"));
        assertThat(ls(host.root().resolve(".deploy/staging"))).isEmpty();
        assertThat(result.record().targets().get(0).steps())
                .as("the retry is in the history")
                .anyMatch(step -> step.startsWith("retry 1 of 2 of stage r2"));
    }

    @Test
    public void hostFailingItsSwitchHasTheHostsAlreadySwitchedSwitchedBack() throws Exception {
        assertThat(deploy(allHosts(), releases.healthy("r1")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        // web-4 loses the new release between staging and the switch, so its switch fails.
        Hook sabotage = new Hook(
                "sabotage",
                HookPhase.BEFORE_SWITCH,
                RunOn.DEPLOY,
                "[ \"$DEPLOY_TARGET\" != web-4 ] || mv \"$DEPLOY_RELEASE_PATH\" \"$DEPLOY_ROOT/moved-away\"",
                Duration.ofSeconds(30));
        Environment environment = new Environment(
                PRODUCTION,
                List.copyOf(hosts.targets()),
                List.of(sabotage),
                List.of(),
                List.of(),
                null,
                null,
                true,
                Map.of(),
                5);

        DeploymentResult result = deploy(environment, releases.healthy("r2"));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.cause()).contains("web-4").contains("r2 is not present on web-4");
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).as(host.name()).isEqualTo("releases/r1");
        }
    }

    @Test
    public void wrongHostKeyIsRefusedNamingTheFingerprintAndNoHostIsChanged() throws Exception {
        List<Target> targets = new ArrayList<>(hosts.targets());
        SshServer impostor = hosts.get(1);
        targets.set(
                1,
                retarget(
                        impostor.target("web-2"),
                        t -> t,
                        HostKeyVerification.knownHosts(impostor.otherKnownHostsLine())));

        ReleaseFolders.Prepared r1 = releases.healthy("r1");
        assertThatThrownBy(() -> deploy(environment(targets), r1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("failed on 1 of 5 targets: web-2: The host key of web-2 (127.0.0.1:"
                        + impostor.port() + ") has CHANGED")
                .hasMessageContaining(impostor.hostKeyFingerprint())
                .hasMessageContaining("ssh-keyscan -p " + impostor.port() + " 127.0.0.1");
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).isNull();
            assertThat(ls(host.root().resolve("releases"))).isEmpty();
            assertThat(host.root().resolve(".deploy/lock")).doesNotExist();
        }
        assertThat(progress.warnings()).noneMatch(w -> w.contains("retry"));
    }

    @Test
    public void unknownHostKeyIsRefusedWithHowToTrustIt() throws Exception {
        SshServer host = hosts.get(0);
        Target target = retarget(host.target("web-1"), t -> t, HostKeyVerification.knownHosts(""));

        ReleaseFolders.Prepared r1 = releases.healthy("r1");
        assertThatThrownBy(() -> deploy(environment(List.of(target)), r1))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("The host key of web-1 (127.0.0.1:" + host.port() + ") is unknown")
                .hasMessageContaining(host.hostKeyFingerprint())
                .hasMessageContaining("check the fingerprint with the host's administrator");
        assertThat(ls(host.root().resolve("releases"))).isEmpty();
    }

    @Test
    public void acceptNewTrustsAFirstSeenHostOnceAndRecordsItsKey() throws Exception {
        SshServer host = hosts.get(0);
        Path knownHosts = temp.getRoot().toPath().resolve("known_hosts");
        Target target = retarget(host.target("web-1"), t -> t, HostKeyVerification.acceptNew(knownHosts));

        assertThat(deploy(environment(List.of(target)), releases.healthy("r1")).outcome())
                .isEqualTo(Outcome.SUCCEEDED);

        assertThat(Files.readString(knownHosts).trim())
                .isEqualTo(host.knownHostsLine().trim());
        assertThat(progress.warnings())
                .anyMatch(w -> w.contains("Trusted the host key of web-1 on first use")
                        && w.contains(host.hostKeyFingerprint()));
        // A changed key is refused even in accept-new mode.
        Files.writeString(knownHosts, host.otherKnownHostsLine() + "\n");
        ReleaseFolders.Prepared r2 = releases.healthy("r2");
        assertThatThrownBy(() -> deploy(environment(List.of(target)), r2)).hasMessageContaining("has CHANGED");
        assertThat(live(host)).isEqualTo("releases/r1");
    }

    @Test
    public void hostWithoutSftpIsAClearErrorSayingSoAndIsNotRetried() throws Exception {
        SshServer host = hosts.get(0);
        host.disableSftp();

        DeploymentResult result = deploy(environment(List.of(host.target("web-1"))), releases.healthy("r1"));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.cause())
                .contains("SFTP is not available on web-1: its SSH server refused the sftp subsystem")
                .contains("Subsystem sftp")
                .doesNotContain("connection to web-1 was lost");
        assertThat(progress.warnings()).noneMatch(w -> w.contains("retry"));
        assertThat(ls(host.root().resolve("releases"))).isEmpty();
        assertThat(live(host)).isNull();
    }

    @Test
    public void refusedKeyIsAClearErrorAndIsNotRetried() throws Exception {
        SshServer host = hosts.get(0);
        Path stranger = temp.getRoot().toPath().resolve("stranger_key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString())
                .inheritIO()
                .start();
        assertThat(keygen.waitFor()).isZero();
        SshTarget target = host.target("web-1");
        Target withStranger = new SshTarget(
                "web-1",
                target.host(),
                target.port(),
                target.root(),
                SshCredentials.ofKeyFile(host.user(), stranger, null),
                target.hostKeys(),
                target.settings());

        ReleaseFolders.Prepared r1 = releases.healthy("r1");
        assertThatThrownBy(() -> deploy(environment(List.of(withStranger)), r1))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("SSH login as " + host.user() + " to web-1")
                .hasMessageContaining("did not accept the key from key file " + stranger)
                .hasMessageContaining("authorized_keys");
        assertThat(progress.warnings()).noneMatch(w -> w.contains("retry"));
        assertThat(ls(host.root().resolve("releases"))).isEmpty();
    }

    private static SshTarget retarget(SshTarget target, UnaryOperator<SshTarget> unused, HostKeyVerification keys) {
        return new SshTarget(
                target.name(),
                target.host(),
                target.port(),
                target.root(),
                target.credentials(),
                keys,
                target.settings());
    }

    /** Waits until the files under {@code staging} hold at least {@code bytes} (an upload under way). */
    private static void awaitUploaded(Path staging, long bytes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(staging)) {
                try (Stream<Path> files = Files.walk(staging)) {
                    long size = files.filter(Files::isRegularFile)
                            .mapToLong(p -> p.toFile().length())
                            .sum();
                    if (size >= bytes) {
                        return;
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // a file vanished while walking: look again
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no upload of " + bytes + " bytes under way in " + staging);
    }
}

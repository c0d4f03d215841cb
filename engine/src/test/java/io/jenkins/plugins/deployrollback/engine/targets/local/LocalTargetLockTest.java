package io.jenkins.plugins.deployrollback.engine.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.Machine;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.testing.ManualClock;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What the lock of a local target does beyond the target contract ({@code LocalTargetContractTest}):
 * its holder is a process of this machine, so a holder that is gone is known at once, and the
 * temporary links of its own switches are its to clean.
 */
public class LocalTargetLockTest {
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");
    private static final Duration TTL = Duration.ofMinutes(30);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final RecordingProgress progress = new RecordingProgress();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T14:02:11Z"));
    private Path root;
    private LocalTarget target;

    @Before
    public void setUp() throws Exception {
        root = temp.newFolder("web-1").toPath();
        target = new LocalTarget("web-1", root);
    }

    private TargetSession session(String actor) {
        return target.open(new OperationContext(STAGING, Operation.DEPLOY, actor, clock, progress));
    }

    /** A lock file as carol's operation, run by process {@code pid} of this machine, would have written it. */
    private void lockHeldOnThisMachineBy(long pid, Instant processStart) throws IOException {
        Files.createDirectories(root.resolve(".deploy"));
        Files.write(
                root.resolve(".deploy/lock"),
                Json.mapper()
                        .writeValueAsBytes(new LockInfo(
                                "carol",
                                Machine.hostName(),
                                pid,
                                processStart,
                                "deploy r3 to staging",
                                "their-token",
                                clock.instant(),
                                clock.instant().plus(TTL),
                                null)));
    }

    private LockInfo lockOnDisk() throws IOException {
        return Json.mapper().readValue(Files.readAllBytes(root.resolve(".deploy/lock")), LockInfo.class);
    }

    @Test
    public void lockNamesThisMachineAndThisProcessAsTheHolder() throws Exception {
        try (TargetLock lock = session("alice").lock("deploy r1 to staging", TTL)) {
            LockInfo onDisk = lockOnDisk();

            assertThat(onDisk).isEqualTo(lock.info());
            assertThat(onDisk.host()).isEqualTo(Machine.hostName());
            assertThat(onDisk.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(onDisk.processStart()).isEqualTo(Machine.processStart());
        }
    }

    @Test
    public void lockOfAFinishedProcessOnThisHostIsTakenOverBeforeItExpires() throws Exception {
        Process finished = new ProcessBuilder("sleep", "60").start();
        Instant started = finished.info().startInstant().orElse(null);
        finished.destroyForcibly();
        assertThat(finished.waitFor(10, TimeUnit.SECONDS)).isTrue();
        lockHeldOnThisMachineBy(finished.pid(), started);

        try (TargetLock lock = session("bob").lock("deploy r2 to staging", TTL)) {
            assertThat(lockOnDisk().owner()).isEqualTo("bob");
        }

        assertThat(progress.warnings())
                .singleElement()
                .asString()
                .endsWith(": its process (pid " + finished.pid() + " on this machine) is no longer running");
    }

    @Test
    public void lockOfARunningProcessOnThisHostIsRespected() throws Exception {
        Process running = new ProcessBuilder("sleep", "60").start();
        try {
            lockHeldOnThisMachineBy(running.pid(), running.info().startInstant().orElse(null));

            assertThatThrownBy(() -> session("bob").lock("deploy r2 to staging", TTL))
                    .isInstanceOf(TargetLockedException.class)
                    .hasMessageContaining("(pid " + running.pid() + ")");
        } finally {
            running.destroyForcibly();
            running.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    public void temporaryCurrentLinkOfAnInterruptedSwitchIsRemovedWhenTheLockIsTaken() throws Exception {
        Files.createDirectories(root.resolve("releases/r1"));
        Files.createSymbolicLink(root.resolve("current"), Path.of("releases/r1"));
        Files.createSymbolicLink(root.resolve(".current-5678"), Path.of("releases/r9"));

        try (TargetLock lock = session("bob").lock("deploy r2 to staging", TTL)) {
            assertThat(root.resolve(".current-5678")).doesNotExist();
            assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/r1"));
            assertThat(root.resolve("releases/r1")).isDirectory();
        }
    }
}

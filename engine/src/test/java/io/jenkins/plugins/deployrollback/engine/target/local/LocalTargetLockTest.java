package io.jenkins.plugins.deployrollback.engine.target.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.Machine;
import io.jenkins.plugins.deployrollback.engine.target.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.target.LockInfo;
import io.jenkins.plugins.deployrollback.engine.target.OperationContext;
import io.jenkins.plugins.deployrollback.engine.target.TargetLock;
import io.jenkins.plugins.deployrollback.engine.target.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.target.TargetSession;
import io.jenkins.plugins.deployrollback.engine.testing.ManualClock;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

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

    private TargetSession session(String actor, Clock sessionClock) {
        return target.open(new OperationContext(STAGING, Operation.DEPLOY, actor, sessionClock, progress));
    }

    private TargetSession session(String actor) {
        return session(actor, clock);
    }

    /** A lock file as another operation would have written it. */
    private void lockHeldBy(String owner, String host, long pid, Instant processStart, Instant since, Instant expires)
            throws IOException {
        Files.createDirectories(root.resolve(".deploy"));
        Files.writeString(
                root.resolve(".deploy/lock"),
                "{\"owner\":\"" + owner + "\",\"host\":\"" + host + "\",\"pid\":" + pid
                        + (processStart == null ? "" : ",\"processStart\":\"" + processStart + "\"")
                        + ",\"purpose\":\"deploy r3 to staging\",\"token\":\"their-token\",\"since\":\"" + since
                        + "\",\"expires\":\"" + expires + "\"}");
    }

    private LockInfo lockOnDisk() throws IOException {
        return Json.mapper().readValue(Files.readAllBytes(root.resolve(".deploy/lock")), LockInfo.class);
    }

    @Test
    public void lockRecordsOwnerHostPidPurposeAndExpiry() throws Exception {
        try (TargetLock lock = session("alice").lock("deploy r1 to staging", TTL)) {
            LockInfo onDisk = lockOnDisk();

            assertThat(onDisk).isEqualTo(lock.info());
            assertThat(onDisk.owner()).isEqualTo("alice");
            assertThat(onDisk.host()).isEqualTo(Machine.hostName());
            assertThat(onDisk.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(onDisk.purpose()).isEqualTo("deploy r1 to staging");
            assertThat(onDisk.since()).isEqualTo(clock.instant());
            assertThat(onDisk.expires()).isEqualTo(clock.instant().plus(TTL));
        }
        assertThat(root.resolve(".deploy/lock")).doesNotExist();
    }

    @Test
    public void secondLockIsRefusedNamingTheHolderHostPidAndSince() throws Exception {
        try (TargetLock held = session("alice").lock("deploy r1 to staging", TTL)) {
            clock.advance(Duration.ofMinutes(1));

            assertThatThrownBy(() -> session("bob").lock("deploy r2 to staging", TTL))
                    .isInstanceOf(TargetLockedException.class)
                    .hasMessageContaining(
                            "Target web-1 is locked by alice on " + Machine.hostName() + " (pid "
                                    + ProcessHandle.current().pid()
                                    + "), deploy r1 to staging, since 2026-11-23T14:02:11Z (expires 2026-11-23T14:32:11Z). Nothing was changed.")
                    .satisfies(e ->
                            assertThat(((TargetLockedException) e).holder()).isEqualTo(held.info()));

            assertThat(lockOnDisk()).isEqualTo(held.info());
        }
    }

    @Test
    public void lockCanBeTakenOnceTheHolderClosedIt() throws Exception {
        session("alice").lock("deploy r1 to staging", TTL).close();

        try (TargetLock lock = session("bob").lock("deploy r2 to staging", TTL)) {
            assertThat(lockOnDisk().owner()).isEqualTo("bob");
        }
        assertThat(progress.warnings()).isEmpty();
    }

    @Test
    public void lockFromAnotherHostThatHasNotExpiredIsRespected() throws Exception {
        lockHeldBy(
                "carol",
                "build-7",
                4242,
                null,
                Instant.parse("2026-11-23T14:00:00Z"),
                Instant.parse("2026-11-23T14:30:00Z"));

        assertThatThrownBy(() -> session("bob").lock("deploy r2 to staging", TTL))
                .isInstanceOf(TargetLockedException.class)
                .hasMessageContaining(
                        "locked by carol on build-7 (pid 4242), deploy r3 to staging, since 2026-11-23T14:00:00Z");
        assertThat(lockOnDisk().token()).isEqualTo("their-token");
    }

    @Test
    public void expiredLockIsTakenOverWithAWarningAndALedgerLine() throws Exception {
        lockHeldBy(
                "carol",
                "build-7",
                4242,
                null,
                Instant.parse("2026-11-23T13:00:00Z"),
                Instant.parse("2026-11-23T13:30:00Z"));
        TargetSession session = session("bob");

        try (TargetLock lock = session.lock("deploy r2 to staging", TTL)) {
            assertThat(lockOnDisk()).isEqualTo(lock.info());
            assertThat(lock.info().owner()).isEqualTo("bob");
        }

        assertThat(progress.warnings())
                .singleElement()
                .asString()
                .startsWith("WARNING Took over the lock of web-1 held by carol on build-7 (pid 4242)")
                .endsWith(": it expired at 2026-11-23T13:30:00Z");
        assertThat(session.ledger()).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo(LedgerEntry.LOCK_TAKEOVER);
            assertThat(e.actor()).isEqualTo("bob");
            assertThat(e.detail())
                    .startsWith("from carol on build-7 (pid 4242)")
                    .endsWith("it expired at 2026-11-23T13:30:00Z");
        });
    }

    @Test
    public void lockOfAFinishedProcessOnThisHostIsTakenOverBeforeItExpires() throws Exception {
        Process finished = new ProcessBuilder("sleep", "60").start();
        Instant started = finished.info().startInstant().orElse(null);
        finished.destroyForcibly();
        assertThat(finished.waitFor(10, TimeUnit.SECONDS)).isTrue();
        lockHeldBy(
                "carol",
                Machine.hostName(),
                finished.pid(),
                started,
                clock.instant(),
                clock.instant().plus(TTL));

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
            lockHeldBy(
                    "carol",
                    Machine.hostName(),
                    running.pid(),
                    running.info().startInstant().orElse(null),
                    clock.instant(),
                    clock.instant().plus(TTL));

            assertThatThrownBy(() -> session("bob").lock("deploy r2 to staging", TTL))
                    .isInstanceOf(TargetLockedException.class)
                    .hasMessageContaining("(pid " + running.pid() + ")");
        } finally {
            running.destroyForcibly();
            running.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    public void refreshFailsOnceSomeoneElseTookTheLockOver() throws Exception {
        TargetLock mine = session("alice").lock("deploy r1 to staging", Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        TargetLock theirs = session("bob").lock("deploy r2 to staging", TTL);

        assertThatThrownBy(mine::refresh)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("The lock of web-1 was taken over by bob on " + Machine.hostName());

        mine.close();
        assertThat(lockOnDisk()).isEqualTo(theirs.info());
        theirs.close();
    }

    @Test
    public void refreshPushesTheExpiryForward() throws Exception {
        try (TargetLock lock = session("alice").lock("deploy r1 to staging", TTL)) {
            clock.advance(Duration.ofMinutes(20));

            lock.refresh();

            assertThat(lockOnDisk().expires()).isEqualTo(Instant.parse("2026-11-23T14:52:11Z"));
            assertThat(lockOnDisk().since()).isEqualTo(Instant.parse("2026-11-23T14:02:11Z"));
            assertThat(lock.info()).isEqualTo(lockOnDisk());
        }
    }

    @Test
    public void refreshFailsWhenTheLockFileWasRemoved() throws Exception {
        TargetLock mine = session("alice").lock("deploy r1 to staging", TTL);
        Files.delete(root.resolve(".deploy/lock"));

        assertThatThrownBy(mine::refresh)
                .hasMessageContaining("The lock of web-1 was removed while this deploy held it");
        mine.close();
    }

    @Test
    public void leftoversOfInterruptedOperationsAreRemovedWhenTheLockIsTaken() throws Exception {
        Files.createDirectories(root.resolve(".deploy/staging/r9.1234/assets"));
        Files.writeString(root.resolve(".deploy/staging/r9.1234/assets/app.js"), "half written");
        Files.createDirectories(root.resolve("releases/r1"));
        Files.createSymbolicLink(root.resolve("current"), Path.of("releases/r1"));
        Files.createSymbolicLink(root.resolve(".current-5678"), Path.of("releases/r9"));

        try (TargetLock lock = session("bob").lock("deploy r2 to staging", TTL)) {
            assertThat(root.resolve(".deploy/staging")).isEmptyDirectory();
            assertThat(root.resolve(".current-5678")).doesNotExist();
            assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/r1"));
            assertThat(root.resolve("releases/r1")).isDirectory();
        }
        assertThat(progress.lines())
                .contains("Removing .deploy/staging/r9.1234 on web-1, left by an interrupted operation");
    }

    @Test
    public void unreadableLockFileIsNeitherTakenOverNorIgnored() throws Exception {
        Files.createDirectories(root.resolve(".deploy"));
        Files.writeString(root.resolve(".deploy/lock"), "{\"owner\":");

        assertThatThrownBy(() -> session("bob").lock("deploy r2 to staging", TTL))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(".deploy/lock is unreadable")
                .hasMessageContaining("if no operation is running on web-1, remove it");
        assertThat(root.resolve(".deploy/lock")).hasContent("{\"owner\":");
    }
}

package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import io.jenkins.plugins.deployrollback.engine.testing.Gate;
import io.jenkins.plugins.deployrollback.engine.testing.ManualClock;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LockDuringOperationTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Stack stack;
    private Gate gate;

    @After
    public void tearDown() throws IOException {
        if (gate != null) {
            gate.open();
        }
        stack.close();
    }

    private void holdMigrationOfR2(Clock clock, Duration lockTimeout) throws Exception {
        stack = new Stack(temp.getRoot().toPath(), 1, clock);
        stack.lockTimeout = lockTimeout;
        gate = new Gate(temp.getRoot().toPath().resolve("gate"));
        stack.deployHealthy("r1");
        stack.hooks = List.of(new io.jenkins.plugins.deployrollback.engine.hook.Hook(
                "migrate",
                HookPhase.BEFORE_SWITCH,
                RunOn.DEPLOY,
                gate.hold("migrate", "[ \"$DEPLOY_RELEASE\" = r2 ]"),
                null));
    }

    private TargetSession bob(Clock clock) {
        return new LocalTarget("web-1", stack.root())
                .open(new OperationContext(stack.name, Operation.DEPLOY, "bob", clock, ProgressListener.SILENT));
    }

    private LockInfo lockOnDisk() {
        try {
            return Json.mapper().readValue(Files.readAllBytes(stack.root().resolve(".deploy/lock")), LockInfo.class);
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    public void heartbeatKeepsTheLockWhileAHookRunsLongerThanTheLockTimeout() throws Exception {
        holdMigrationOfR2(Clock.systemUTC(), Duration.ofSeconds(1));
        Future<DeploymentResult> deploy = deployR2InTheBackground();
        gate.awaitArrival("migrate");

        Set<Instant> expiries = new HashSet<>();
        Gate.await("the lock to be renewed three times", () -> {
            LockInfo lock = lockOnDisk();
            if (lock != null) {
                expiries.add(lock.expires());
            }
            return expiries.size() >= 3;
        });
        try (TargetSession bob = bob(Clock.systemUTC())) {
            assertThatThrownBy(() -> bob.lock("deploy r3", Duration.ofMinutes(1)))
                    .isInstanceOf(TargetLockedException.class)
                    .hasMessageContaining("running hook migrate (pid ");
        }
        gate.open();

        assertThat(deploy.get().outcome().name()).isEqualTo("SUCCEEDED");
        assertThat(stack.live()).isEqualTo("releases/r2");
    }

    @Test
    public void operationWhoseLockIsTakenOverStopsChangesNothingMoreAndRecordsNothing() throws Exception {
        ManualClock clock = new ManualClock(Instant.now());
        holdMigrationOfR2(clock, Duration.ofMinutes(5));
        Future<DeploymentResult> deploy = deployR2InTheBackground();
        gate.awaitArrival("migrate");
        Gate.await(
                "the lock to name the running hook",
                () -> lockOnDisk() != null && lockOnDisk().hook() != null);
        // As seen from another machine, where the hook alice runs is invisible: only the expiry counts.
        Files.writeString(
                stack.root().resolve(".deploy/lock"),
                Json.mapper().writeValueAsString(lockOnDisk().running(null)));
        clock.advance(Duration.ofMinutes(10));

        TargetLock bobs;
        try (TargetSession bob = bob(clock)) {
            bobs = bob.lock("deploy r3", Duration.ofMinutes(5));
        }
        gate.open();

        assertThatThrownBy(deploy::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(LockLostException.class)
                .hasMessageContaining("The lock of web-1 was taken over by bob")
                .hasMessageContaining("nothing more was changed and this deploy was not recorded");
        assertThat(stack.live()).isEqualTo("releases/r1");
        assertThat(stack.engine.history(stack.name).records()).hasSize(1);
        assertThat(stack.root().resolve("releases/r2")).isDirectory();
        assertThat(lockOnDisk().owner()).isEqualTo("bob");
        bobs.close();
    }

    @Test
    public void hookStillRunningWhenTheLockIsTakenOverIsStoppedWithEverythingItStarted() throws Exception {
        holdMigrationOfR2(Clock.systemUTC(), Duration.ofSeconds(1));
        Future<DeploymentResult> deploy = deployR2InTheBackground();
        gate.awaitArrival("migrate");
        Gate.await(
                "the lock to name the running hook",
                () -> lockOnDisk() != null && lockOnDisk().hook() != null);
        LockInfo alices = lockOnDisk();

        // bob takes the lock over: a lock file with his name and token replaces alice's
        LockInfo bobs = new LockInfo(
                "bob",
                "build-7",
                42,
                null,
                "deploy r3",
                "bobs-token",
                Instant.now(),
                Instant.now().plus(Duration.ofMinutes(5)),
                null);
        Path lock = stack.root().resolve(".deploy/lock");
        Path replacement = lock.resolveSibling("lock.bob");
        Files.write(replacement, Json.mapper().writeValueAsBytes(bobs));
        Files.move(replacement, lock, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThatThrownBy(() -> deploy.get(1, java.util.concurrent.TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(LockLostException.class)
                .hasMessageContaining(
                        "taken over while hook migrate ran; the hook and everything it started were stopped");
        assertThat(io.jenkins.plugins.deployrollback.engine.support.Machine.mayBeAlive(
                        alices.hook().pid(), alices.hook().processStart()))
                .isFalse();
        assertThat(lockOnDisk().owner()).isEqualTo("bob");
        assertThat(stack.live()).isEqualTo("releases/r1");
        assertThat(stack.engine.history(stack.name).records()).hasSize(1);
    }

    private Future<DeploymentResult> deployR2InTheBackground() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<DeploymentResult> deploy = executor.submit(() -> stack.deployHealthy("r2"));
        executor.shutdown();
        return deploy;
    }
}

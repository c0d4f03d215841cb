package io.jenkins.plugins.deployrollback.engine.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.testing.ManualClock;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * How a local target starts a hook, beyond the target contract ({@code LocalTargetContractTest}): the
 * hook's process, on this machine, is recorded in the lock before the command may run, so that a lock
 * is never taken over while a hook of its holder still runs here.
 */
public class HookRunTest {
    private static final ReleaseId R1 = ReleaseId.of("r1");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T14:02:11Z"));
    private Path root;
    private LocalTarget target;
    private TargetSession session;

    @Before
    public void setUp() throws Exception {
        root = temp.newFolder("web-1").toPath();
        target = new LocalTarget("web-1", root);
        session = session("alice");
        ReleaseFolders.Prepared r1 = new ReleaseFolders(
                        temp.newFolder("artifacts").toPath())
                .prepare("r1", Map.of("index.html", "release r1\n"));
        session.stage(r1.release(), r1.source(), List.of());
    }

    private TargetSession session(String actor) {
        return target.open(new OperationContext(
                EnvironmentName.of("staging"), Operation.DEPLOY, actor, clock, new RecordingProgress()));
    }

    private HookRun run(String command) throws Exception {
        Hook hook = new Hook("check", HookPhase.AFTER_SWITCH, RunOn.BOTH, command, Duration.ofSeconds(30));
        return session.runHook(hook, HookMode.DEPLOY, R1, Map.of(), line -> {});
    }

    private LockInfo lockOnDisk() throws IOException {
        return Json.mapper().readValue(Files.readAllBytes(root.resolve(".deploy/lock")), LockInfo.class);
    }

    @Test
    public void lockNamesTheRunningHookAndItsProcessOnThisMachineUntilItEnds() throws Exception {
        try (TargetLock lock = session.lock("deploy r1 to staging", Duration.ofMinutes(5))) {
            HookRun run = run("echo $$; cat \"$DEPLOY_ROOT/.deploy/lock\"");

            long shell = Long.parseLong(run.lastOutput().get(0));
            LockInfo whileRunning = Json.mapper().readValue(run.lastOutput().get(1), LockInfo.class);
            assertThat(whileRunning.token()).isEqualTo(lock.info().token());
            assertThat(whileRunning.hook().name()).isEqualTo("check");
            assertThat(whileRunning.hook().pid()).isEqualTo(shell);
            assertThat(whileRunning.hook().processStart()).isNotNull();
            assertThat(lockOnDisk().hook()).isNull();
            assertThat(lockOnDisk().token()).isEqualTo(lock.info().token());
        }
    }

    @Test
    public void hookWhoseProcessCannotBeRecordedInTheLockNeverRuns() throws Exception {
        TargetLock mine = session.lock("deploy r1 to staging", Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        TargetLock theirs = session("bob").lock("deploy r2 to staging", Duration.ofMinutes(5));

        assertThatThrownBy(() -> run("touch ran"))
                .isInstanceOf(LockLostException.class)
                .hasMessageContaining("The lock of web-1 was taken over by bob");

        assertThat(root.resolve("releases/r1/ran")).doesNotExist();
        assertThat(lockOnDisk()).isEqualTo(theirs.info());
        mine.close();
        theirs.close();
    }
}

package io.jenkins.plugins.deployrollback.engine.target.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.target.OperationContext;
import io.jenkins.plugins.deployrollback.engine.target.TargetSession;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class HookRunTest {
    private static final ReleaseId R1 = ReleaseId.of("r1");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path root;
    private TargetSession session;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @Before
    public void setUp() throws Exception {
        root = temp.newFolder("web-1").toPath();
        session = new LocalTarget("web-1", root)
                .open(new OperationContext(
                        EnvironmentName.of("staging"),
                        Operation.DEPLOY,
                        "alice",
                        Clock.systemUTC(),
                        new RecordingProgress()));
        ReleaseFolders.Prepared r1 = new ReleaseFolders(
                        temp.newFolder("artifacts").toPath())
                .prepare("r1", Map.of("index.html", "release r1\n"));
        session.stage(r1.release(), r1.source(), List.of());
    }

    private HookRun run(String command, Duration timeout, Map<String, String> variables) throws Exception {
        Hook hook = new Hook("check", HookPhase.AFTER_SWITCH, RunOn.BOTH, command, timeout);
        return session.runHook(hook, HookMode.DEPLOY, R1, variables, output::add);
    }

    private HookRun run(String command) throws Exception {
        return run(command, Duration.ofSeconds(30), Map.of());
    }

    @Test
    public void exitStatusAndLastOutputAreReported() throws Exception {
        HookRun run = run("echo migrating; echo 'table locked' >&2; exit 3");

        assertThat(run.exitStatus()).isEqualTo(3);
        assertThat(run.timedOut()).isFalse();
        assertThat(run.succeeded()).isFalse();
        assertThat(run.lastOutput()).containsExactly("migrating", "table locked");
        assertThat(output).containsExactly("migrating", "table locked");
        assertThat(run.hook()).isEqualTo("check");
        assertThat(run.target()).isEqualTo("web-1");
        assertThat(run.mode()).isEqualTo(HookMode.DEPLOY);
        assertThat(run.describe()).startsWith("check (afterSwitch, deploy) on web-1: exit 3 in ");
    }

    @Test
    public void successfulHookExitsZero() throws Exception {
        HookRun run = run("true");

        assertThat(run.exitStatus()).isZero();
        assertThat(run.succeeded()).isTrue();
        assertThat(run.lastOutput()).isEmpty();
    }

    @Test
    public void onlyTheLastTwentyLinesAreKeptButEveryLineIsPassedOn() throws Exception {
        HookRun run = run("i=1; while [ $i -le 50 ]; do echo line $i; i=$((i+1)); done");

        assertThat(run.lastOutput()).hasSize(20).startsWith("line 31").endsWith("line 50");
        assertThat(output).hasSize(50);
    }

    @Test
    public void deployVariablesAndEnvironmentVariablesReachTheCommand() throws Exception {
        HookRun run = run(
                "echo \"$DEPLOY_RELEASE|$DEPLOY_OPERATION|$APP_NAME|$DEPLOY_TARGET\"; echo \"$DEPLOY_ROOT\"; echo \"$DEPLOY_RELEASE_PATH\"",
                Duration.ofSeconds(30),
                Map.of("DEPLOY_RELEASE", "r1", "DEPLOY_OPERATION", "deploy", "APP_NAME", "shop"));

        assertThat(run.lastOutput())
                .containsExactly(
                        "r1|deploy|shop|web-1",
                        root.toString(),
                        root.resolve("releases/r1").toString());
    }

    @Test
    public void commandRunsInTheReleaseFolder() throws Exception {
        HookRun run = run("pwd -P; cat index.html");

        assertThat(run.lastOutput())
                .containsExactly(root.resolve("releases/r1").toRealPath().toString(), "release r1");
    }

    @Test
    public void hookPastItsTimeoutIsStoppedWithEverythingItStarted() throws Exception {
        Path pidFile = temp.getRoot().toPath().resolve("child.pid");
        long started = System.nanoTime();

        HookRun run = run(
                "sleep 300 & echo $! > \"$PID_FILE\"; echo waiting; wait",
                Duration.ofMillis(500),
                Map.of("PID_FILE", pidFile.toString()));

        assertThat(run.timedOut()).isTrue();
        assertThat(run.succeeded()).isFalse();
        assertThat(run.exitStatus()).isEqualTo(-1);
        assertThat(run.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(run.describe()).contains("timed out after").endsWith("and was stopped");
        assertThat(run.lastOutput()).containsExactly("waiting");
        long child = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(awaitGone(child, Duration.ofSeconds(10)))
                .as("sleep 300 (pid %d) is gone", child)
                .isTrue();
    }

    /**
     * Waits until {@code pid} no longer runs. A killed process whose parent died too stays a zombie
     * until whoever adopted it reaps it; it runs no more, so it counts as gone.
     */
    private static boolean awaitGone(long pid, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (!running(pid)) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return !running(pid);
    }

    private static boolean running(long pid) throws Exception {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (NoSuchFileException e) {
                return false;
            }
        }
        return false;
    }
}

package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.testing.Gate;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * An operation whose thread is interrupted (a build aborted) while its targets are being worked on
 * stops the steps running on every target, releases its locks, and leaves no thread behind.
 */
public class InterruptedOperationTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Stack stack;

    @Before
    public void setUp() throws Exception {
        stack = new Stack(temp.newFolder("stack").toPath(), 2);
        stack.deployHealthy("r1");
    }

    @After
    public void tearDown() {
        stack.close();
    }

    @Test
    public void interruptedDeployStopsTheHookOnEveryTargetReleasesItsLocksAndLeavesNoThreadRunning() throws Exception {
        Path started = temp.newFolder("started").toPath();
        // Notes its process id, then runs for a minute unless it is stopped.
        stack.hooks = List.of(new Hook(
                "migrate",
                HookPhase.BEFORE_SWITCH,
                RunOn.DEPLOY,
                "echo $$ > '" + started + "'/\"$DEPLOY_TARGET\"; i=0; while [ $i -lt 1200 ]; do sleep 0.05;"
                        + " i=$((i+1)); done",
                Duration.ofMinutes(2)));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread deployer = new Thread(
                () -> {
                    try {
                        stack.deployHealthy("r2");
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "deployer");
        deployer.start();
        Gate.await(
                "the hook to run on both targets",
                () -> hookPid(started, "web-1") > 0 && hookPid(started, "web-2") > 0);

        deployer.interrupt();
        deployer.join(Duration.ofMinutes(1).toMillis());

        assertThat(deployer.isAlive()).isFalse();
        assertThat(failure.get())
                .isInstanceOf(InterruptedIOException.class)
                .hasMessageStartingWith(
                        "The deploy of staging was interrupted while working on web-1, web-2, which stopped.")
                .hasMessageContaining("was not recorded");
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("target-"));
        for (String target : List.of("web-1", "web-2")) {
            assertThat(ProcessHandle.of(hookPid(started, target)).map(ProcessHandle::isAlive))
                    .as("hook on " + target)
                    .isNotEqualTo(java.util.Optional.of(true));
        }
        for (int i = 0; i < 2; i++) {
            assertThat(stack.roots.get(i).resolve(".deploy/lock")).doesNotExist();
            assertThat(stack.page(i)).isEqualTo("release r1\n");
        }
        assertThat(stack.engine.history(stack.name).records()).hasSize(1);
    }

    private static long hookPid(Path started, String target) {
        try {
            Path file = started.resolve(target);
            String pid = Files.exists(file) ? Files.readString(file).trim() : "";
            return pid.isEmpty() ? 0 : Long.parseLong(pid);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}

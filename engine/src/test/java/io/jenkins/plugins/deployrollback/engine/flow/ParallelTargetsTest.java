package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.history.TargetReport;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The targets of an environment are worked on at the same time, at most {@code concurrency} at once.
 * A before-switch hook shows it: on each target it leaves a marker in a shared folder, then waits
 * until there is one from every target, and gives up after a deadline.
 */
public class ParallelTargetsTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Stack stack;
    private Path meeting;

    @Before
    public void setUp() throws Exception {
        stack = new Stack(temp.newFolder("stack").toPath(), 3);
        meeting = temp.newFolder("meeting").toPath();
        stack.deployHealthy("r1");
    }

    @After
    public void tearDown() {
        stack.close();
    }

    /**
     * A hook that leaves its target's marker, waits up to {@code patience} for the markers of all
     * three targets, notes in {@code shared/met} how many it saw, and fails if it did not see them all.
     */
    private Hook meetAllThree(Duration patience) {
        String markers = "$(ls '" + meeting + "' | wc -l)";
        long polls = patience.toMillis() / 50;
        return new Hook(
                "meet",
                HookPhase.BEFORE_SWITCH,
                RunOn.DEPLOY,
                "touch '" + meeting + "'/\"$DEPLOY_TARGET\"; i=0; while [ " + markers + " -lt 3 ] && [ $i -lt " + polls
                        + " ]; do sleep 0.05; i=$((i+1)); done; echo " + markers
                        + " > \"$DEPLOY_ROOT/shared/met\"; [ " + markers + " -ge 3 ]",
                patience.plusSeconds(30));
    }

    private String met(int target) throws Exception {
        return Files.readString(stack.roots.get(target).resolve("shared/met")).trim();
    }

    @Test
    public void hookRunsOnEveryTargetAtTheSameTimeAndIsRecordedInTargetOrder() throws Exception {
        stack.concurrency = 3;
        stack.hooks = List.of(meetAllThree(Duration.ofSeconds(60)));

        DeploymentResult result = stack.deployHealthy("r2");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(List.of(met(0), met(1), met(2))).containsOnly("3");
        DeploymentRecord record = result.record();
        assertThat(record.hooks()).extracting(HookRun::target).containsExactly("web-1", "web-2", "web-3");
        assertThat(record.targets()).extracting(TargetReport::target).containsExactly("web-1", "web-2", "web-3");
        for (int i = 0; i < 3; i++) {
            assertThat(stack.page(i)).isEqualTo("release r2\n");
        }
    }

    @Test
    public void withConcurrencyOneATargetWorksAloneAndTheOthersAreNotStartedOnceItFails() throws Exception {
        stack.concurrency = 1;
        stack.hooks = List.of(meetAllThree(Duration.ofSeconds(1)));

        DeploymentResult result = stack.deployHealthy("r2");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(met(0)).isEqualTo("1");
        assertThat(stack.roots.get(1).resolve("shared/met")).doesNotExist();
        assertThat(stack.roots.get(2).resolve("shared/met")).doesNotExist();
        assertThat(result.cause())
                .contains(
                        "Hook meet (beforeSwitch, deploy) failed on 1 of 3 targets: web-1: exit 1",
                        "Not started after that: web-2, web-3.",
                        "r1 is still live.");
        DeploymentRecord record = result.record();
        assertThat(record.hooks()).extracting(HookRun::target).containsExactly("web-1");
        assertThat(record.targets().get(1).steps())
                .contains("hook meet (beforeSwitch, deploy) not started: web-1 failed first");
        assertThat(result.live()).isEqualTo(ReleaseId.of("r1"));
        for (int i = 0; i < 3; i++) {
            assertThat(stack.live(i)).isEqualTo("releases/r1");
        }
    }
}

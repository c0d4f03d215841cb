package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.history.TargetReport;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import io.jenkins.plugins.deployrollback.engine.testing.FileTreeSnapshot;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * An environment moves all at once: whatever fails on one of its targets, every target ends on the
 * same release, and the failure names the target, the step and the error.
 */
public class AllAtOnceTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Stack stack;

    @Before
    public void setUp() throws Exception {
        stack = new Stack(temp.getRoot().toPath(), 4);
        stack.deployHealthy("r1");
    }

    @After
    public void tearDown() {
        stack.close();
    }

    private void everyTargetServes(String release) throws Exception {
        for (int i = 0; i < stack.roots.size(); i++) {
            assertThat(stack.page(i)).as("page of web-" + (i + 1)).isEqualTo("release " + release + "\n");
        }
    }

    private TargetReport report(DeploymentRecord record, String target) {
        return record.targets().stream()
                .filter(t -> t.target().equals(target))
                .findFirst()
                .orElseThrow();
    }

    /** Replaces the link {@code current} of target {@code index} by a plain folder holding what it served. */
    private void flattenCurrent(int index) {
        stack.hooks = List.of(Stack.currentReplacedByAFolderOn("web-" + (index + 1)));
    }

    @Test
    public void targetThatCannotStageKeepsEveryTargetOnTheOldRelease() throws Exception {
        // A plain file where web-3's release folder would go: staging there fails, the others stage fine.
        Files.writeString(stack.roots.get(2).resolve("releases/r2"), "not a release\n");

        DeploymentResult result = stack.deployHealthy("r2");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.live()).isEqualTo(ReleaseId.of("r1"));
        assertThat(result.cause())
                .startsWith("Staging r2 failed on 1 of 4 targets: web-3: Target web-3 already has releases/r2")
                .endsWith("r1 is still live.");
        everyTargetServes("r1");
        for (int i = 0; i < 4; i++) {
            assertThat(stack.live(i)).isEqualTo("releases/r1");
        }
        DeploymentRecord record = stack.engine.history(stack.name).latest().orElseThrow();
        assertThat(record.targets())
                .extracting(TargetReport::target)
                .containsExactly("web-1", "web-2", "web-3", "web-4");
        assertThat(record.targets()).allSatisfy(t -> assertThat(t.steps()).noneMatch(s -> s.startsWith("switched")));
        assertThat(report(record, "web-3").error())
                .startsWith("staging r2 failed: Target web-3 already has releases/r2");
        assertThat(report(record, "web-1").error()).isNull();
        assertThat(stack.engine.history(stack.name).current()).contains(ReleaseId.of("r1"));
    }

    @Test
    public void targetFailingItsSwitchHasEveryTargetSwitchedBeforeItSwitchedBack() throws Exception {
        stack.concurrency = 1; // one after the other: web-1 to web-3 switch before web-4 fails
        flattenCurrent(3);

        DeploymentResult result = stack.deployHealthy("r2");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.cause())
                .startsWith("Switching to r2 failed on 1 of 4 targets: web-4: ")
                .contains("is not a link", "The targets already switched were switched back: web-1, web-2, web-3.");
        everyTargetServes("r1");
        DeploymentRecord record = result.record();
        for (String target : List.of("web-1", "web-2", "web-3")) {
            assertThat(report(record, target).steps()).containsSubsequence("switched r1 -> r2", "switched r2 -> r1");
            assertThat(report(record, target).live()).isEqualTo(ReleaseId.of("r1"));
        }
        assertThat(report(record, "web-4").error()).startsWith("switching to r2 failed: ");
    }

    @Test
    public void targetFailingItsSwitchAmongTargetsSwitchingAtOnceLeavesNoTargetOnTheNewRelease() throws Exception {
        flattenCurrent(3);

        DeploymentResult result = stack.deployHealthy("r2");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.cause()).startsWith("Switching to r2 failed on 1 of 4 targets: web-4: ");
        everyTargetServes("r1");
        for (int i = 0; i < 3; i++) {
            assertThat(stack.live(i)).isEqualTo("releases/r1");
        }
        assertThat(result.record().targets()).noneMatch(t -> ReleaseId.of("r2").equals(t.live()));
    }

    @Test
    public void lockHeldOnOneTargetChangesNoTargetAndLeavesNoLockBehind() throws Exception {
        try (TargetSession bob = new LocalTarget("web-2", stack.roots.get(1))
                        .open(new OperationContext(
                                stack.name, Operation.DEPLOY, "bob", Clock.systemUTC(), ProgressListener.SILENT));
                TargetLock held = bob.lock("deploy r9", Duration.ofMinutes(5))) {
            List<List<String>> before = new ArrayList<>();
            for (Path root : stack.roots) {
                before.add(FileTreeSnapshot.of(root));
            }

            assertThatThrownBy(() -> stack.deployHealthy("r2"))
                    .isInstanceOf(TargetLockedException.class)
                    .hasMessageStartingWith(
                            "Locking staging failed on 1 of 4 targets: web-2: Target web-2 is locked by bob");

            for (int i = 0; i < stack.roots.size(); i++) {
                assertThat(FileTreeSnapshot.of(stack.roots.get(i)))
                        .as("web-" + (i + 1))
                        .isEqualTo(before.get(i));
            }
            for (int i : new int[] {0, 2, 3}) {
                assertThat(stack.roots.get(i).resolve(".deploy/lock")).doesNotExist();
            }
            assertThat(held.info().owner()).isEqualTo("bob");
        }
        assertThat(stack.engine.history(stack.name).records()).hasSize(1);
        everyTargetServes("r1");
    }
}

package io.jenkins.plugins.deployrollback.engine.flow;

import static io.jenkins.plugins.deployrollback.engine.hook.HookPhase.AFTER_SWITCH;
import static io.jenkins.plugins.deployrollback.engine.hook.HookPhase.BEFORE_SWITCH;
import static io.jenkins.plugins.deployrollback.engine.hook.RunOn.BOTH;
import static io.jenkins.plugins.deployrollback.engine.hook.RunOn.DEPLOY;
import static io.jenkins.plugins.deployrollback.engine.hook.RunOn.ROLLBACK;
import static io.jenkins.plugins.deployrollback.engine.testing.Stack.loggingHook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.plan.PlanRefusedException;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.plan.TargetAction;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RollbackTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Stack stack;

    @Before
    public void setUp() throws Exception {
        stack = new Stack(temp.getRoot().toPath(), 1);
    }

    @After
    public void tearDown() {
        stack.close();
    }

    @Test
    public void rollbackGoesToTheLastKnownGoodReleaseOtherThanTheLiveOneBySwitchingOnly() throws Exception {
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");
        Object folderBefore = Files.readAttributes(stack.root().resolve("releases/r1"), BasicFileAttributes.class)
                .fileKey();

        DeploymentResult result = stack.rollback();

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.release()).isEqualTo(ReleaseId.of("r1"));
        assertThat(result.previous()).isEqualTo(ReleaseId.of("r2"));
        assertThat(result.plan().targets()).singleElement().satisfies(t -> assertThat(t.action())
                .isEqualTo(TargetAction.SWITCH));
        assertThat(stack.live()).isEqualTo("releases/r1");
        assertThat(stack.page(0)).isEqualTo("release r1\n");
        assertThat(Files.readAttributes(stack.root().resolve("releases/r1"), BasicFileAttributes.class)
                        .fileKey())
                .isEqualTo(folderBefore);
        DeploymentRecord record = stack.engine.history(stack.name).latest().orElseThrow();
        assertThat(record.operation()).isEqualTo(Operation.ROLLBACK);
        assertThat(record.cause()).isEqualTo("test rollback");
        assertThat(record.gates()).isEmpty();
        assertThat(stack.engine.history(stack.name).lastKnownGood()).contains(ReleaseId.of("r1"));
    }

    @Test
    public void rollbackSkipsDeployOnlyHooksAndRunsRollbackOnlyOnes() throws Exception {
        stack.hooks = List.of(
                loggingHook("migrate", BEFORE_SWITCH, DEPLOY, null),
                loggingHook("restart", AFTER_SWITCH, BOTH, null),
                loggingHook("notify", AFTER_SWITCH, ROLLBACK, null));
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");

        DeploymentResult result = stack.rollback();

        assertThat(result.plan().hooks())
                .extracting(h -> h.hook() + "=" + h.runs())
                .containsExactly("migrate=false", "restart=true", "notify=true");
        assertThat(stack.hookLog(0))
                .endsWith("restart rollback r1 r2", "notify rollback r1 r2")
                .filteredOn(l -> l.startsWith("migrate"))
                .hasSize(2);
    }

    @Test
    public void rollbackToAReleasePrunedFromTheTargetStagesItAgainFromItsKeptArtifacts() throws Exception {
        stack.retention = new RetentionPolicy(1, 1);
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");
        stack.deployHealthy("r3");
        assertThat(stack.root().resolve("releases/r1")).doesNotExist();

        DeploymentPlan plan = stack.engine.planRollback(
                stack.environment(),
                new ReturnRequest(new ReleaseSelector.ById(ReleaseId.of("r1")), false, "tester", null));
        DeploymentResult result = stack.rollbackTo("r1", false);

        assertThat(plan.targets()).singleElement().satisfies(t -> assertThat(t.action())
                .isEqualTo(TargetAction.REDEPLOY));
        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(stack.live()).isEqualTo("releases/r1");
        assertThat(stack.page(0)).isEqualTo("release r1\n");
        assertThat(Files.readAllLines(stack.root().resolve(".deploy/ledger")))
                .filteredOn(l -> l.contains("\"event\":\"stage\"") && l.contains("\"to\":\"r1\""))
                .hasSize(2);
    }

    @Test
    public void rollbackAcrossAReleaseThatDeclaresASchemaMigrationIsRefusedNamingItUnlessForced() throws Exception {
        stack.deployHealthy("r1");
        stack.deployHealthy("r2", Release.SCHEMA_MIGRATION);
        stack.deployHealthy("r3");

        assertThatThrownBy(() -> stack.rollbackTo("r1", false))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("crosses r2, which declares schemaMigration")
                .hasMessageContaining("Roll forward with a fix instead, or pass --force");
        assertThat(stack.live()).isEqualTo("releases/r3");
        assertThat(stack.engine.history(stack.name).records()).hasSize(3);

        DeploymentResult forced = stack.rollbackTo("r1", true);

        assertThat(forced.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(stack.live()).isEqualTo("releases/r1");
        assertThat(forced.record().warnings()).anySatisfy(w -> assertThat(w).contains("overridden with --force", "r2"));
    }

    @Test
    public void rollbackToTheReleaseAlreadyLiveIsANoOpSuccess() throws Exception {
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");

        DeploymentResult result = stack.rollbackTo("r2", false);

        assertThat(result.changed()).isFalse();
        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(stack.engine.history(stack.name).records()).hasSize(2);
    }

    @Test
    public void rollbackWithNoEarlierGoodReleaseIsRefused() throws Exception {
        stack.deployHealthy("r1");

        assertThatThrownBy(() -> stack.rollback())
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("No release other than r1 ever succeeded");
        assertThat(stack.live()).isEqualTo("releases/r1");
    }

    @Test
    public void rollbackToAReleaseThatNeverSucceededIsRefusedUnlessForced() throws Exception {
        stack.deployHealthy("r1");
        stack.deploy(stack.releases.broken("r2"));
        stack.deployHealthy("r3");

        assertThatThrownBy(() -> stack.rollbackTo("r2", false))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("Release r2 never succeeded")
                .hasMessageContaining("ROLLED_BACK");
    }

    @Test
    public void rollbackByBuildFindsTheReleaseThatBuildProduced() throws Exception {
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");
        stack.deployHealthy("r3");

        DeploymentResult result = stack.engine.rollback(
                stack.environment(), new ReturnRequest(new ReleaseSelector.ByBuild("build-r1"), false, "tester", null));

        assertThat(result.release()).isEqualTo(ReleaseId.of("r1"));
        assertThat(stack.live()).isEqualTo("releases/r1");
    }

    @Test
    public void currentLinkIsRelativeSoTheTargetFolderCanMove() throws Exception {
        stack.deployHealthy("r1");

        assertThat(Files.readSymbolicLink(stack.root().resolve("current")).isAbsolute())
                .isFalse();
        assertThat(Files.isDirectory(stack.root().resolve("current"), LinkOption.NOFOLLOW_LINKS))
                .isFalse();
    }

    @Test
    public void rollbackWhoseHookFailedAfterTheSwitchIsCompletedByRunningItAgain() throws Exception {
        Path broken = temp.getRoot().toPath().resolve("restart-is-broken");
        stack.hooks = List.of(loggingHook("restart", AFTER_SWITCH, BOTH, "test ! -f " + broken));
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");
        stack.deployHealthy("r3");
        Files.writeString(broken, "");

        DeploymentResult failed = stack.rollback();

        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.live()).isEqualTo(ReleaseId.of("r2"));
        assertThat(failed.cause())
                .contains("r2 is live, but its rollback did not complete", "run the same rollback again");
        Files.delete(broken);

        DeploymentResult again = stack.rollback();

        assertThat(again.changed()).isTrue();
        assertThat(again.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(again.release()).isEqualTo(ReleaseId.of("r2"));
        assertThat(again.previous()).isEqualTo(ReleaseId.of("r3"));
        assertThat(stack.hookLog(0)).endsWith("restart rollback r2 r3", "restart rollback r2 r3");
        assertThat(stack.live()).isEqualTo("releases/r2");
        assertThat(stack.engine.history(stack.name).lastRolledBackFrom()).contains(ReleaseId.of("r3"));
    }

    @Test
    public void releaseChangedByItsOwnDeployHookIsSwitchedBackToAsItWas() throws Exception {
        stack.hooks = List.of(loggingHook("render-config", BEFORE_SWITCH, DEPLOY, "echo rendered >> index.html"));
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");

        DeploymentResult result = stack.rollback();

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(stack.page(0)).isEqualTo("release r1\nrendered\n");
        assertThat(stack.progress.warnings()).isEmpty();
    }

    @Test
    public void forcedRollbackToAReleaseThatNeverSucceededRunsItsHealthChecks() throws Exception {
        stack.deployHealthy("r1");
        stack.autoRollback = false;
        stack.deploy(stack.releases.broken("r2"));
        stack.autoRollback = true;
        stack.deployHealthy("r3");

        DeploymentResult result = stack.rollbackTo("r2", true);

        assertThat(result.gates())
                .singleElement()
                .satisfies(g -> assertThat(g.verdict().name()).isEqualTo("FAIL"));
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(stack.engine.history(stack.name).lastKnownGood()).contains(ReleaseId.of("r1"));
    }
}

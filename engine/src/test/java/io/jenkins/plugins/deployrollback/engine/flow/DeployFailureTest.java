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
import io.jenkins.plugins.deployrollback.engine.history.ReleaseConflictException;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DeployFailureTest {
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
    public void failingBeforeSwitchHookLeavesTheOldReleaseServingAndRecordsFailed() throws Exception {
        stack.deployHealthy("r1");
        stack.hooks = List.of(loggingHook("migrate", BEFORE_SWITCH, DEPLOY, "echo 'migration 42 failed' && exit 3"));

        DeploymentResult result = stack.deployHealthy("r2");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.live()).isEqualTo(ReleaseId.of("r1"));
        assertThat(result.cause()).contains("migrate", "exit 3", "migration 42 failed", "r1 is still live");
        assertThat(stack.live()).isEqualTo("releases/r1");
        assertThat(stack.page(0)).isEqualTo("release r1\n");
        assertThat(stack.root().resolve("releases/r2")).doesNotExist();
        DeploymentRecord record = stack.engine.history(stack.name).latest().orElseThrow();
        assertThat(record.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(record.live()).isEqualTo(ReleaseId.of("r1"));
        assertThat(record.hooks()).singleElement().satisfies(h -> assertThat(h.exitStatus())
                .isEqualTo(3));
        assertThat(stack.engine.history(stack.name).current()).contains(ReleaseId.of("r1"));
    }

    @Test
    public void failingAfterSwitchHookRollsBackAndRunsOnlyRollbackHooksOnTheWayBack() throws Exception {
        stack.hooks = List.of(
                loggingHook("migrate", BEFORE_SWITCH, DEPLOY, null),
                loggingHook("restart", AFTER_SWITCH, BOTH, "test \"$DEPLOY_RELEASE\" != r2"),
                loggingHook("clean-caches", AFTER_SWITCH, ROLLBACK, null));
        stack.deployHealthy("r1");

        DeploymentResult result = stack.deployHealthy("r2");

        assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(stack.live()).isEqualTo("releases/r1");
        assertThat(stack.hookLog(0))
                .containsExactly(
                        "migrate deploy r1 ",
                        "restart deploy r1 ",
                        "migrate deploy r2 r1",
                        "restart deploy r2 r1",
                        "restart rollback r1 r2",
                        "clean-caches rollback r1 r2");
    }

    @Test
    public void firstDeployThatFailsItsHealthCheckStaysLiveAndIsRecordedFailed() throws Exception {
        DeploymentResult result = stack.deploy(stack.releases.broken("r1"));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.live()).isEqualTo(ReleaseId.of("r1"));
        assertThat(result.cause()).contains("Nothing was live before it");
        assertThat(stack.live()).isEqualTo("releases/r1");
        assertThat(stack.engine.history(stack.name).lastKnownGood()).isEmpty();
    }

    @Test
    public void withAutomaticRollbackOffAFailedCheckLeavesTheReleaseLiveAndSaysSo() throws Exception {
        stack.deployHealthy("r1");
        stack.autoRollback = false;

        DeploymentResult result = stack.deploy(stack.releases.broken("r2"));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.live()).isEqualTo(ReleaseId.of("r2"));
        assertThat(result.cause()).contains("Automatic rollback is off");
        assertThat(stack.live()).isEqualTo("releases/r2");
        assertThat(stack.engine.history(stack.name).lastKnownGood()).contains(ReleaseId.of("r1"));
    }

    @Test
    public void failingReleaseThatDeclaresASchemaMigrationIsNotRolledBackAutomatically() throws Exception {
        stack.deployHealthy("r1");

        DeploymentResult result = stack.deploy(stack.releases.broken("r2", Release.SCHEMA_MIGRATION));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.cause()).contains("declares schemaMigration", "roll forward with a fix", "--force");
        assertThat(stack.live()).isEqualTo("releases/r2");
    }

    @Test
    public void deployingTheLiveReleaseAgainIsNothingToDoAndRecordsNothing() throws Exception {
        stack.deployHealthy("r1");

        DeploymentResult again = stack.deploy(stack.releases.healthy("r1"));

        assertThat(again.changed()).isFalse();
        assertThat(again.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(stack.engine.history(stack.name).records()).hasSize(1);
    }

    @Test
    public void releaseIdReusedForOtherContentIsRefusedAndNothingChanges() throws Exception {
        stack.deployHealthy("r1");
        String ledger = Files.readString(stack.root().resolve(".deploy/ledger"));

        assertThatThrownBy(() -> stack.deploy(stack.releases.prepare("r1", Map.of("index.html", "something else\n"))))
                .isInstanceOf(ReleaseConflictException.class)
                .hasMessageContaining("Release r1 is already recorded with other content")
                .hasMessageContaining("give this build a new release id");

        assertThat(Files.readString(stack.root().resolve(".deploy/ledger"))).isEqualTo(ledger);
        assertThat(stack.page(0)).isEqualTo("release r1\n");
    }

    @Test
    public void failedSwitchOnOneTargetSwitchesTheOthersBack() throws Exception {
        stack.close();
        stack = new Stack(temp.newFolder("two").toPath(), 2);
        // One target at a time, in order: web-1 has switched when web-2 fails. In parallel, web-1 might
        // not have started yet when web-2 fails, and would then not be switched at all.
        stack.concurrency = 1;
        stack.deployHealthy("r1");
        // A folder where the link should be cannot be replaced atomically: the switch on web-2 fails.
        stack.hooks = List.of(Stack.currentReplacedByAFolderOn("web-2"));

        DeploymentResult result = stack.deployHealthy("r2");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.cause()).contains("web-2", "not a link", "switched back");
        assertThat(stack.live(0)).isEqualTo("releases/r1");
        DeploymentRecord record = stack.engine.history(stack.name).latest().orElseThrow();
        assertThat(record.targets())
                .filteredOn(t -> t.target().equals("web-1"))
                .singleElement()
                .satisfies(t -> assertThat(t.steps()).contains("switched r1 -> r2", "switched r2 -> r1"));
    }

    @Test
    public void deployRefusedBecauseTheTargetIsLockedLeavesNoTraceInTheStateFolder() throws Exception {
        stack.deployHealthy("r1");
        try (TargetSession bob = new LocalTarget("web-1", stack.root())
                        .open(new OperationContext(
                                stack.name, Operation.DEPLOY, "bob", Clock.systemUTC(), ProgressListener.SILENT));
                TargetLock held = bob.lock("deploy r9", Duration.ofMinutes(5))) {

            assertThatThrownBy(() -> stack.deployHealthy("r2"))
                    .isInstanceOf(TargetLockedException.class)
                    .hasMessageContaining("is locked by bob");
        }

        assertThat(stack.base.resolve("state/history/releases/r2.json")).doesNotExist();
        assertThat(stack.base.resolve("state/artifacts/r2")).doesNotExist();
        assertThat(stack.engine.history(stack.name).records()).hasSize(1);
    }
}

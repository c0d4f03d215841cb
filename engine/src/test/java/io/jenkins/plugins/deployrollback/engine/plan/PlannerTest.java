package io.jenkins.plugins.deployrollback.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.release.Artifact;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseContent;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PlannerTest {
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");
    private static final ReleaseId R1 = ReleaseId.of("r1");
    private static final ReleaseId R2 = ReleaseId.of("r2");
    private static final ReleaseId R3 = ReleaseId.of("r3");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Predicate<ReleaseId> ARTIFACTS_KEPT = id -> true;
    private static final Predicate<ReleaseId> ARTIFACTS_GONE = id -> false;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Environment environment;
    private final List<DeploymentRecord> records = new ArrayList<>();
    private final Map<ReleaseId, Release> catalog = new HashMap<>();

    @Before
    public void setUp() {
        List<Target> targets = List.of(
                new LocalTarget("web-1", temp.getRoot().toPath().resolve("web-1")),
                new LocalTarget("web-2", temp.getRoot().toPath().resolve("web-2")));
        List<Hook> hooks = List.of(
                new Hook("migrate", HookPhase.BEFORE_SWITCH, RunOn.DEPLOY, "./migrate", null),
                new Hook("restart", HookPhase.AFTER_SWITCH, RunOn.BOTH, "./restart", null),
                new Hook("notify-rollback", HookPhase.AFTER_SWITCH, RunOn.ROLLBACK, "./notify", null));
        List<Gate> checks = List.of(
                new Gate("health", List.of(HttpCheck.of("health", URI.create("http://127.0.0.1:9/health"))), null));
        environment = new Environment(STAGING, targets, hooks, checks, null, null, null, true, null);
        for (String id : List.of("r1", "r2", "r3", "r4")) {
            release(id);
        }
    }

    private Release release(String id, String... facts) {
        String content = "content of " + id;
        Release release = new Release(
                ReleaseId.of(id),
                "v-" + id,
                "app#" + id,
                Set.of(facts),
                new ReleaseContent(
                        List.of(new Artifact("index.html", content.length(), Sha256.of(content), false)),
                        List.of(),
                        List.of()));
        catalog.put(release.id(), release);
        return release;
    }

    private void record(Operation operation, ReleaseId release, ReleaseId previous, ReleaseId live, Outcome outcome) {
        Instant at = T0.plusSeconds(60L * records.size());
        records.add(new DeploymentRecord(
                "rec-" + records.size(),
                STAGING,
                operation,
                release,
                previous,
                live,
                outcome,
                "tester",
                outcome == Outcome.SUCCEEDED ? null : "health FAIL",
                at,
                at.plusSeconds(30),
                null,
                null,
                null,
                null));
    }

    private void deployed(ReleaseId release, ReleaseId previous) {
        record(Operation.DEPLOY, release, previous, release, Outcome.SUCCEEDED);
    }

    private History history() {
        return new History(STAGING, records, catalog, List.of());
    }

    private String digest(ReleaseId id) {
        return catalog.get(id).content().digest();
    }

    /** A target serving {@code current} and holding the folders of {@code present}, each staged with its catalog content. */
    private TargetState target(String name, ReleaseId current, ReleaseId... present) {
        List<StagedRelease> releases = Arrays.stream(present)
                .map(id -> new StagedRelease(id, digest(id), T0))
                .toList();
        return new TargetState(name, current, releases, null, List.of());
    }

    private DeploymentPlan rollback(
            List<TargetState> states, ReleaseSelector selector, boolean force, Predicate<ReleaseId> kept) {
        return Planner.rollback(environment, history(), states, selector, force, kept);
    }

    private DeploymentPlan rollback(List<TargetState> states) {
        return rollback(states, ReleaseSelector.byDefault(), false, ARTIFACTS_KEPT);
    }

    private DeploymentPlan rollForward(List<TargetState> states, boolean force) {
        return Planner.rollForward(environment, history(), states, ReleaseSelector.byDefault(), force, ARTIFACTS_KEPT);
    }

    private static List<String> hooksRun(DeploymentPlan plan) {
        return plan.hooksRun().stream().map(PlannedHook::hook).toList();
    }

    @Test
    public void defaultRollbackGoesToTheLastKnownGoodReleaseOtherThanTheLiveOne() {
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R3, R2);

        DeploymentPlan plan = rollback(List.of(target("web-1", R3, R1, R2, R3), target("web-2", R3, R1, R2, R3)));

        assertThat(plan.from()).isEqualTo(R3);
        assertThat(plan.to()).isEqualTo(R2);
        assertThat(plan.why()).isEqualTo("last known good release other than r3");
        assertThat(plan.refused()).isFalse();
        assertThat(plan.nothingToDo()).isFalse();
    }

    @Test
    public void defaultRollbackSkipsAReleaseThatWasRolledBack() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.DEPLOY, R3, R2, R2, Outcome.ROLLED_BACK);

        DeploymentPlan plan = rollback(List.of(target("web-1", R2, R1, R2)));

        assertThat(plan.from()).isEqualTo(R2);
        assertThat(plan.to()).isEqualTo(R1);
    }

    @Test
    public void targetHoldingTheReleaseFolderWithTheSameDigestOnlySwitches() {
        deployed(R1, null);
        deployed(R2, R1);

        DeploymentPlan plan = rollback(List.of(target("web-1", R2, R1, R2), target("web-2", R2, R2)));

        assertThat(plan.targets())
                .containsExactly(
                        new TargetStep("web-1", R2, TargetAction.SWITCH),
                        new TargetStep("web-2", R2, TargetAction.REDEPLOY));
        assertThat(plan.errors()).isEmpty();
    }

    @Test
    public void targetHoldingAFolderOfTheSameIdWithAnotherDigestIsRefusedUpFront() {
        deployed(R1, null);
        deployed(R2, R1);
        TargetState tampered =
                new TargetState("web-1", R2, List.of(new StagedRelease(R1, Sha256.of("other"), T0)), null, List.of());

        DeploymentPlan plan = rollback(List.of(tampered));

        assertThat(plan.targets()).extracting(TargetStep::action).containsExactly(TargetAction.REDEPLOY);
        assertThat(plan.refused()).isTrue();
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .contains("Target web-1 already has releases/r1 with other content", "never overwritten");
    }

    @Test
    public void deployOverAFolderOfTheSameIdNotStagedByUsIsRefusedUpFront() {
        deployed(R1, null);
        TargetState foreign = new TargetState(
                "web-1",
                R1,
                List.of(new StagedRelease(R1, null, T0), new StagedRelease(R2, null, T0)),
                null,
                List.of());

        DeploymentPlan plan = Planner.deploy(environment, history(), List.of(foreign), catalog.get(R2));

        assertThat(plan.refused()).isTrue();
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .contains("releases/r2 with content not staged by Deploy Rollback");
    }

    @Test
    public void releaseGoneFromATargetWithoutKeptArtifactsCannotBeRolledBackTo() {
        deployed(R1, null);
        deployed(R2, R1);

        DeploymentPlan plan = rollback(
                List.of(target("web-1", R2, R1, R2), target("web-2", R2, R2)),
                ReleaseSelector.byDefault(),
                true,
                ARTIFACTS_GONE);

        assertThat(plan.refused()).isTrue();
        assertThat(plan.errors())
                .containsExactly(
                        "Release r1 is no longer on web-2 and its artifacts are not kept, so it cannot be staged "
                                + "again. Deploy it from its artifacts instead.");
    }

    @Test
    public void rollingBackAcrossASchemaMigrationIsBlockedNamingThatRelease() {
        release("r2", Release.SCHEMA_MIGRATION);
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R3, R2);

        DeploymentPlan plan =
                rollback(List.of(target("web-1", R3, R1, R2, R3)), new ReleaseSelector.ById(R1), false, ARTIFACTS_KEPT);

        assertThat(plan.to()).isEqualTo(R1);
        assertThat(plan.refused()).isTrue();
        assertThat(plan.errors()).isEmpty();
        assertThat(plan.blockers())
                .singleElement()
                .asString()
                .startsWith("Rolling back to r1 crosses r2, which declares schemaMigration")
                .contains("Roll forward with a fix instead, or pass --force");
        assertThat(new PlanRefusedException(plan))
                .hasMessageContaining("Refused to rollback staging; nothing was changed.")
                .hasMessageContaining("crosses r2");
    }

    @Test
    public void rollingBackAcrossASchemaMigrationIsAllowedWhenForced() {
        release("r2", Release.SCHEMA_MIGRATION);
        deployed(R1, null);
        deployed(R2, R1);

        DeploymentPlan plan =
                rollback(List.of(target("web-1", R2, R1, R2)), ReleaseSelector.byDefault(), true, ARTIFACTS_KEPT);

        assertThat(plan.to()).isEqualTo(R1);
        assertThat(plan.blockers()).singleElement().asString().contains("crosses r2");
        assertThat(plan.forced()).isTrue();
        assertThat(plan.refused()).isFalse();
        assertThat(plan.describe())
                .anyMatch(line -> line.startsWith("  overridden (--force): Rolling back to r1 crosses r2"));
    }

    @Test
    public void rollingBackToJustBeforeTheLiveReleaseDoesNotCrossAnOlderMigration() {
        release("r1", Release.SCHEMA_MIGRATION);
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R3, R2);

        DeploymentPlan plan = rollback(List.of(target("web-1", R3, R1, R2, R3)));

        assertThat(plan.to()).isEqualTo(R2);
        assertThat(plan.blockers()).isEmpty();
    }

    @Test
    public void rollbackToAReleaseThatNeverSucceededIsBlocked() {
        deployed(R1, null);
        record(Operation.DEPLOY, R2, R1, R1, Outcome.FAILED);

        DeploymentPlan plan =
                rollback(List.of(target("web-1", R1, R1, R2)), new ReleaseSelector.ById(R2), false, ARTIFACTS_KEPT);

        assertThat(plan.refused()).isTrue();
        assertThat(plan.blockers())
                .containsExactly(
                        "Release r2 never succeeded in staging (its last deployment ended FAILED: health FAIL). "
                                + "Pass --force to roll back to it anyway; its gates will run.");
    }

    @Test
    public void rollbackToTheLiveReleaseIsNothingToDo() {
        deployed(R1, null);
        deployed(R2, R1);

        DeploymentPlan plan = rollback(
                List.of(target("web-1", R2, R1, R2), target("web-2", R2, R2)),
                new ReleaseSelector.ById(R2),
                false,
                ARTIFACTS_KEPT);

        assertThat(plan.nothingToDo()).isTrue();
        assertThat(plan.refused()).isFalse();
        assertThat(plan.targets()).extracting(TargetStep::action).containsOnly(TargetAction.ALREADY_LIVE);
    }

    @Test
    public void rollbackWithNothingLiveOrNothingGoodIsImpossible() {
        assertThat(rollback(List.of(target("web-1", null))).errors())
                .singleElement()
                .asString()
                .isEqualTo("Nothing is live in staging: there is nothing to roll back.");

        deployed(R1, null);

        DeploymentPlan plan = rollback(List.of(target("web-1", R1, R1)));
        assertThat(plan.refused()).isTrue();
        assertThat(plan.to()).isNull();
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .startsWith("No release other than r1 ever succeeded in staging without being rolled back from since");
    }

    @Test
    public void rollbackToAReleaseNeverDeployedHereOrOfAnUnknownBuildIsImpossible() {
        deployed(R1, null);
        deployed(R2, R1);

        assertThat(rollback(
                                List.of(target("web-1", R2, R1, R2)),
                                new ReleaseSelector.ById(ReleaseId.of("r9")),
                                true,
                                ARTIFACTS_KEPT)
                        .errors())
                .containsExactly("Release r9 was never deployed to staging: deploy it instead.");
        assertThat(rollback(
                                List.of(target("web-1", R2, R1, R2)),
                                new ReleaseSelector.ByBuild("app#r9"),
                                true,
                                ARTIFACTS_KEPT)
                        .errors())
                .containsExactly("No release from build app#r9 was ever deployed to staging.");
        assertThat(rollback(
                                List.of(target("web-1", R2, R1, R2)),
                                new ReleaseSelector.ByBuild("app#r1"),
                                false,
                                ARTIFACTS_KEPT)
                        .to())
                .isEqualTo(R1);
    }

    @Test
    public void rollbackTargetMissingFromTheCatalogIsImpossible() {
        deployed(R1, null);
        deployed(R2, R1);
        catalog.remove(R1);

        DeploymentPlan plan = rollback(List.of(target("web-1", R2, R2)));

        assertThat(plan.errors())
                .contains(
                        "Release r1 is not in the release catalog: its content is unknown, so it cannot be verified or staged.");
        assertThat(plan.refused()).isTrue();
    }

    @Test
    public void rollForwardDefaultsToTheReleaseMostRecentlyRolledBackFrom() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);

        DeploymentPlan plan = rollForward(List.of(target("web-1", R1, R1, R2)), false);

        assertThat(plan.operation()).isEqualTo(Operation.ROLL_FORWARD);
        assertThat(plan.from()).isEqualTo(R1);
        assertThat(plan.to()).isEqualTo(R2);
        assertThat(plan.why()).isEqualTo("release most recently rolled back from");
        assertThat(plan.targets()).extracting(TargetStep::action).containsExactly(TargetAction.SWITCH);
        assertThat(plan.refused()).isFalse();
    }

    @Test
    public void rollForwardToAReleaseWhoseLastDeploymentWasRolledBackIsBlocked() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.DEPLOY, R3, R2, R2, Outcome.ROLLED_BACK);

        DeploymentPlan plan = rollForward(List.of(target("web-1", R2, R1, R2, R3)), false);

        assertThat(plan.to()).isEqualTo(R3);
        assertThat(plan.refused()).isTrue();
        assertThat(plan.blockers())
                .containsExactly(
                        "The last deployment of r3 to staging ended ROLLED_BACK (health FAIL). Pass --force to roll forward to it anyway.");
        assertThat(rollForward(List.of(target("web-1", R2, R1, R2, R3)), true).refused())
                .isFalse();
    }

    @Test
    public void rollForwardToAReleaseWhoseLastDeploymentFailedIsBlocked() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);
        record(Operation.ROLL_FORWARD, R2, R1, R1, Outcome.FAILED);

        DeploymentPlan plan = rollForward(List.of(target("web-1", R1, R1, R2)), false);

        assertThat(plan.to()).isEqualTo(R2);
        assertThat(plan.refused()).isTrue();
        assertThat(plan.blockers())
                .singleElement()
                .asString()
                .startsWith("The last deployment of r2 to staging ended FAILED");
    }

    @Test
    public void rollForwardWithoutAnyRollbackIsImpossible() {
        deployed(R1, null);
        deployed(R2, R1);

        DeploymentPlan plan = rollForward(List.of(target("web-1", R2, R1, R2)), true);

        assertThat(plan.refused()).isTrue();
        assertThat(plan.errors())
                .containsExactly(
                        "Nothing was rolled back in staging since the last successful deployment: there is nothing to roll forward to. Deploy a new release instead.");
    }

    @Test
    public void deployRunsDeployHooksAndSkipsRollbackOnlyHooks() {
        DeploymentPlan plan = Planner.deploy(environment, history(), List.of(target("web-1", null)), catalog.get(R1));

        assertThat(hooksRun(plan)).containsExactly("migrate", "restart");
        assertThat(plan.hooks())
                .filteredOn(h -> !h.runs())
                .extracting(PlannedHook::describe)
                .containsExactly("notify-rollback (afterSwitch, runOn rollback): skipped");
        assertThat(plan.gatesRun()).isTrue();
    }

    @Test
    public void rollbackSkipsDeployHooksRunsRollbackHooksAndSkipsHealthChecks() {
        deployed(R1, null);
        deployed(R2, R1);

        DeploymentPlan plan = rollback(List.of(target("web-1", R2, R1, R2)));

        assertThat(hooksRun(plan)).containsExactly("restart", "notify-rollback");
        assertThat(plan.hooks())
                .filteredOn(h -> !h.runs())
                .extracting(PlannedHook::describe)
                .containsExactly("migrate (beforeSwitch, runOn deploy): skipped");
        assertThat(plan.gatesRun()).isFalse();
    }

    @Test
    public void rollForwardRunsHooksAsADeployDoes() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);

        DeploymentPlan plan = rollForward(List.of(target("web-1", R1, R1, R2)), false);

        assertThat(hooksRun(plan)).containsExactly("migrate", "restart");
        assertThat(plan.gatesRun()).isTrue();
    }

    @Test
    public void deployStagesANewReleaseSwitchesToAPresentOneAndLeavesALiveOne() {
        deployed(R1, null);
        deployed(R2, R1);
        List<TargetState> states =
                List.of(target("web-1", R2, R1, R2), target("web-2", R1, R1), target("web-3", R1, R1, R2, R3));

        DeploymentPlan plan = Planner.deploy(environment, history(), states, catalog.get(R2));

        assertThat(plan.targets())
                .extracting(TargetStep::action)
                .containsExactly(TargetAction.ALREADY_LIVE, TargetAction.STAGE, TargetAction.SWITCH);
    }

    @Test
    public void targetsServingDifferentReleasesAreWarnedAboutAndADefaultRollbackBringsThemAllToTheLastKnownGood() {
        deployed(R1, null);
        deployed(R2, R1);
        List<TargetState> states = List.of(
                target("web-1", R2, R1, R2),
                target("web-2", R1, R1, R2),
                new TargetState(
                        "web-3", null, List.of(), null, List.of("current points to releases/r7, which is missing")));

        DeploymentPlan plan = rollback(states);

        assertThat(plan.warnings())
                .containsExactly(
                        "target web-2 serves r1 but the history records r2 as live: an earlier operation was interrupted, or the target was changed by hand",
                        "target web-3 serves nothing but the history records r2 as live: an earlier operation was interrupted, or the target was changed by hand",
                        "target web-3: current points to releases/r7, which is missing");
        assertThat(plan.refused()).isFalse();
        assertThat(plan.to()).isEqualTo(R1);
        assertThat(plan.why())
                .isEqualTo("the targets serve different releases (web-1: r2, web-2: r1, web-3: nothing):"
                        + " bringing every target to the last known good release r1");
        assertThat(plan.targets())
                .extracting(TargetStep::action)
                .containsExactly(TargetAction.SWITCH, TargetAction.ALREADY_LIVE, TargetAction.REDEPLOY);
    }

    @Test
    public void aDefaultRollForwardRefusesMixedTargetsAndSaysHowToConverge() {
        deployed(R1, null);
        deployed(R2, R1);
        List<TargetState> states = List.of(target("web-1", R2, R1, R2), target("web-2", R1, R1, R2));

        DeploymentPlan plan =
                Planner.rollForward(environment, history(), states, ReleaseSelector.byDefault(), false, id -> true);

        assertThat(plan.refused()).isTrue();
        assertThat(plan.errors())
                .containsExactly("The targets serve different releases (web-1: r2, web-2: r1). Run rollback to bring"
                        + " them all to the last known good release r2, or name the release to bring them all to"
                        + " with --to.");
    }

    @Test
    public void problemsReadingTheHistoryAreWarnings() {
        deployed(R1, null);
        History torn = new History(
                STAGING, records, catalog, List.of("history.jsonl: the last record (line 2, 17 bytes) is incomplete"));

        DeploymentPlan plan = Planner.deploy(environment, torn, List.of(target("web-1", R1, R1)), catalog.get(R2));

        assertThat(plan.warnings()).containsExactly("history.jsonl: the last record (line 2, 17 bytes) is incomplete");
    }

    @Test
    public void deployingAnIrreversibleReleaseOrOneThatFailedBeforeIsWarnedAbout() {
        Release migrating = release("r3", Release.SCHEMA_MIGRATION);
        deployed(R1, null);
        record(Operation.DEPLOY, R3, R1, R1, Outcome.FAILED);

        DeploymentPlan plan = Planner.deploy(environment, history(), List.of(target("web-1", R1, R1)), migrating);

        assertThat(plan.warnings())
                .containsExactly(
                        "release r3 declares schemaMigration: once it is live, a rollback past it is refused unless forced, and it is not rolled back automatically",
                        "the last deployment of r3 here ended FAILED: health FAIL");
        assertThat(plan.refused()).isFalse();
    }

    @Test
    public void rollbackFromAReleaseTheTargetsServeUnrecordedCrossesItAndChecksItsFacts() {
        deployed(R1, null);
        deployed(R2, R1);
        release("r3", Release.SCHEMA_MIGRATION);
        List<TargetState> states = List.of(target("web-1", R3, R1, R2, R3), target("web-2", R3, R1, R2, R3));

        DeploymentPlan plan = rollback(states);

        assertThat(plan.from()).isEqualTo(R3);
        assertThat(plan.to()).isEqualTo(R2);
        assertThat(plan.warnings())
                .anySatisfy(w -> assertThat(w).startsWith("the targets serve r3 but the history records r2"));
        assertThat(plan.blockers()).singleElement().asString().contains("crosses r3, which declares schemaMigration");
        assertThat(plan.refused()).isTrue();
    }

    @Test
    public void rollForwardToAReleaseOlderThanTheLiveOneIsARollbackAndImpossible() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);
        deployed(R3, R1);
        List<TargetState> states = List.of(target("web-1", R3, R1, R2, R3));

        DeploymentPlan plan =
                Planner.rollForward(environment, history(), states, new ReleaseSelector.ById(R2), true, ARTIFACTS_KEPT);

        assertThat(plan.refused()).isTrue();
        assertThat(plan.errors())
                .contains("Release r2 went out before the live r3: going to it is a rollback. Use rollback --to r2,"
                        + " which checks what it crosses.");
    }

    @Test
    public void releaseLeftLiveByAFailedAttemptIsNotNothingToDoItsHooksAndChecksRunAgain() {
        deployed(R1, null);
        record(Operation.DEPLOY, R2, R1, R2, Outcome.FAILED);
        List<TargetState> states = List.of(target("web-1", R2, R1, R2));

        DeploymentPlan again = Planner.deploy(environment, history(), states, catalog.get(R2));

        assertThat(again.targets()).extracting(TargetStep::action).containsExactly(TargetAction.ALREADY_LIVE);
        assertThat(again.settled()).isFalse();
        assertThat(again.nothingToDo()).isFalse();
    }

    @Test
    public void forcedRollbackToAReleaseThatNeverSucceededRunsItsHealthChecks() {
        deployed(R1, null);
        record(Operation.DEPLOY, R2, R1, R1, Outcome.FAILED);
        deployed(R3, R1);

        DeploymentPlan plan = Planner.rollback(
                environment,
                history(),
                List.of(target("web-1", R3, R1, R2, R3)),
                new ReleaseSelector.ById(R2),
                true,
                ARTIFACTS_KEPT);

        assertThat(plan.refused()).isFalse();
        assertThat(plan.gatesRun()).isTrue();
    }

    @Test
    public void rollForwardFromAReleaseTheTargetsServeUnrecordedIsRefused() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);
        History interrupted = new History(
                STAGING,
                records,
                catalog,
                List.of(),
                new AttemptInProgress("x", STAGING, Operation.DEPLOY, R3, R1, "alice", T0));

        DeploymentPlan plan = Planner.rollForward(
                environment,
                interrupted,
                List.of(target("web-1", R3, R1, R2, R3)),
                ReleaseSelector.byDefault(),
                true,
                ARTIFACTS_KEPT);

        assertThat(plan.from()).isEqualTo(R3);
        assertThat(plan.refused()).isTrue();
        assertThat(plan.errors()).anySatisfy(e -> assertThat(e).startsWith("Release r2 went out before the live r3"));
    }

    @Test
    public void rollForwardToAReleaseDeployedAgainAfterTheLiveOneIsAllowed() {
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R1, R2);
        record(Operation.ROLLBACK, R2, R1, R2, Outcome.SUCCEEDED);

        DeploymentPlan plan = Planner.rollForward(
                environment,
                history(),
                List.of(target("web-1", R2, R1, R2)),
                ReleaseSelector.byDefault(),
                false,
                ARTIFACTS_KEPT);

        assertThat(plan.to()).isEqualTo(R1);
        assertThat(plan.refused()).isFalse();
    }

    @Test
    public void deployingTheLiveReleaseAfterAnotherFailedBeforeItsSwitchIsNothingToDo() {
        deployed(R1, null);
        record(Operation.DEPLOY, R2, R1, R1, Outcome.FAILED);

        DeploymentPlan plan =
                Planner.deploy(environment, history(), List.of(target("web-1", R1, R1, R2)), catalog.get(R1));

        assertThat(plan.nothingToDo()).isTrue();
    }

    @Test
    public void rollbackToANamedReleaseOnMixedTargetsLeavesTheReleaseTheTargetsServeOtherThanIt() {
        deployed(R1, null);
        deployed(R2, R1);
        History interrupted = new History(
                STAGING,
                records,
                catalog,
                List.of(),
                new AttemptInProgress("x", STAGING, Operation.DEPLOY, R3, R2, "alice", T0));

        DeploymentPlan plan = Planner.rollback(
                environment,
                interrupted,
                List.of(target("web-1", R3, R1, R2, R3), target("web-2", R2, R1, R2, R3)),
                new ReleaseSelector.ById(R2),
                true,
                ARTIFACTS_KEPT);

        assertThat(plan.from()).isEqualTo(R3);
        assertThat(plan.targets())
                .extracting(TargetStep::action)
                .containsExactly(TargetAction.SWITCH, TargetAction.ALREADY_LIVE);
    }

    @Test
    public void rollbackAfterARollbackThatFailedAfterItsSwitchCompletesIt() {
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R3, R2);
        record(Operation.ROLLBACK, R2, R3, R2, Outcome.FAILED);

        DeploymentPlan plan = rollback(List.of(target("web-1", R2, R1, R2, R3)));

        assertThat(plan.to()).isEqualTo(R2);
        assertThat(plan.from()).isEqualTo(R3);
        assertThat(plan.why()).startsWith("completing the unfinished rollback of r2 (from r3)");
        assertThat(plan.nothingToDo()).isFalse();
    }
}

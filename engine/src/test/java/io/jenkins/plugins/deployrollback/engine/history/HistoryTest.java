package io.jenkins.plugins.deployrollback.engine.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseContent;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

public class HistoryTest {
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");
    private static final ReleaseId R1 = ReleaseId.of("r1");
    private static final ReleaseId R2 = ReleaseId.of("r2");
    private static final ReleaseId R3 = ReleaseId.of("r3");

    private final List<DeploymentRecord> records = new ArrayList<>();
    private final Map<ReleaseId, Release> releases = new HashMap<>();

    private void record(Operation operation, ReleaseId release, ReleaseId previous, ReleaseId live, Outcome outcome) {
        Instant at = Instant.parse("2026-11-23T10:00:00Z").plusSeconds(60L * records.size());
        records.add(new DeploymentRecord(
                "rec-" + records.size(),
                STAGING,
                operation,
                release,
                previous,
                live,
                outcome,
                "tester",
                null,
                at,
                at.plusSeconds(30),
                null,
                null,
                null,
                null));
        releases.putIfAbsent(
                release,
                new Release(
                        release,
                        "v-" + release,
                        "app#" + release.value().substring(1),
                        Set.of(),
                        ReleaseContent.empty()));
    }

    private void deployed(ReleaseId release, ReleaseId previous) {
        record(Operation.DEPLOY, release, previous, release, Outcome.SUCCEEDED);
    }

    private History history() {
        return new History(STAGING, records, releases, List.of());
    }

    @Test
    public void emptyHistoryKnowsNothing() {
        History history = History.empty(STAGING);

        assertThat(history.current()).isEmpty();
        assertThat(history.latest()).isEmpty();
        assertThat(history.lastKnownGood()).isEmpty();
        assertThat(history.previousSuccessful()).isEmpty();
        assertThat(history.lastRolledBackFrom()).isEmpty();
        assertThat(history.everSucceeded(R1)).isFalse();
        assertThat(history.liveSince(R1)).isEmpty();
    }

    @Test
    public void currentIsTheReleaseLiveAfterTheNewestRecord() {
        deployed(R1, null);
        record(Operation.DEPLOY, R2, R1, R1, Outcome.FAILED);

        assertThat(history().current()).contains(R1);
        assertThat(history().latest())
                .get()
                .extracting(DeploymentRecord::release)
                .isEqualTo(R2);
    }

    @Test
    public void currentIsEmptyWhenTheNewestRecordLeftNothingLive() {
        record(Operation.DEPLOY, R1, null, null, Outcome.FAILED);

        assertThat(history().current()).isEmpty();
    }

    @Test
    public void releaseRolledBackByItsChecksIsNotKnownGoodButTheOneBeforeIs() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.DEPLOY, R3, R2, R2, Outcome.ROLLED_BACK);

        History history = history();

        assertThat(history.current()).contains(R2);
        assertThat(history.lastKnownGood()).contains(R2);
        assertThat(history.lastKnownGoodOtherThan(R2)).contains(R1);
        assertThat(history.lastRolledBackFrom()).contains(R3);
        assertThat(history.everSucceeded(R3)).isFalse();
    }

    @Test
    public void rollbackAwayFromAReleaseDisqualifiesIt() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.DEPLOY, R3, R2, R2, Outcome.ROLLED_BACK);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);

        History history = history();

        assertThat(history.current()).contains(R1);
        assertThat(history.lastKnownGood()).contains(R1);
        assertThat(history.lastKnownGoodOtherThan(R1)).isEmpty();
        assertThat(history.lastRolledBackFrom()).contains(R2);
        assertThat(history.everSucceeded(R2)).isTrue();
    }

    @Test
    public void rollForwardThatSucceedsRequalifiesTheRelease() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.DEPLOY, R3, R2, R2, Outcome.ROLLED_BACK);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);
        record(Operation.ROLL_FORWARD, R2, R1, R2, Outcome.SUCCEEDED);

        History history = history();

        assertThat(history.current()).contains(R2);
        assertThat(history.lastKnownGood()).contains(R2);
        assertThat(history.lastKnownGoodOtherThan(R2)).contains(R1);
        assertThat(history.previousSuccessful()).contains(R1);
    }

    @Test
    public void rollbackThatFailedBeforeItsSwitchDoesNotDisqualifyTheReleaseItTriedToLeave() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.ROLLBACK, R1, R2, R2, Outcome.FAILED);

        assertThat(history().lastKnownGood()).contains(R2);
        assertThat(history().lastRolledBackFrom()).isEmpty();
    }

    @Test
    public void rollbackThatSwitchedAndThenFailedAHookStillDisqualifiesTheReleaseItLeft() {
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R3, R2);
        record(Operation.ROLLBACK, R2, R3, R2, Outcome.FAILED);

        assertThat(history().current()).contains(R2);
        assertThat(history().lastKnownGood()).contains(R2);
        assertThat(history().lastKnownGoodOtherThan(R2)).contains(R1);
        assertThat(history().lastRolledBackFrom()).contains(R3);
    }

    @Test
    public void rollForwardTargetIsForgottenOnceANewerReleaseShipped() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);
        deployed(R3, R1);

        assertThat(history().lastRolledBackFrom()).isEmpty();
        assertThat(history().shipOrder(R2)).isLessThan(history().shipOrder(R3));
    }

    @Test
    public void failedDeployIsNotKnownGoodAndNotRolledBackFrom() {
        deployed(R1, null);
        record(Operation.DEPLOY, R2, R1, R1, Outcome.FAILED);

        assertThat(history().lastKnownGood()).contains(R1);
        assertThat(history().lastRolledBackFrom()).isEmpty();
        assertThat(history().everSucceeded(R2)).isFalse();
    }

    @Test
    public void previousSuccessfulIgnoresRollbacksButNotTheLiveRelease() {
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R3, R2);
        record(Operation.ROLLBACK, R2, R3, R2, Outcome.SUCCEEDED);

        History history = history();

        assertThat(history.current()).contains(R2);
        assertThat(history.previousSuccessful()).contains(R3);
        assertThat(history.lastKnownGoodOtherThan(R2)).contains(R1);
    }

    @Test
    public void lastAttemptToShipIsTheNewestDeployOrRollForwardNeverARollback() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);
        record(Operation.ROLL_FORWARD, R2, R1, R1, Outcome.FAILED);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);

        History history = history();

        assertThat(history.lastAttemptToShip(R2)).get().satisfies(r -> {
            assertThat(r.operation()).isEqualTo(Operation.ROLL_FORWARD);
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        });
        assertThat(history.lastAttemptToShip(R1))
                .get()
                .extracting(DeploymentRecord::id)
                .isEqualTo("rec-0");
        assertThat(history.lastAttemptToShip(R3)).isEmpty();
    }

    @Test
    public void everSucceededCountsRollbacksToTheRelease() {
        record(Operation.DEPLOY, R1, null, R1, Outcome.FAILED);
        record(Operation.ROLLBACK, R2, R1, R2, Outcome.SUCCEEDED);

        assertThat(history().everSucceeded(R2)).isTrue();
        assertThat(history().everSucceeded(R1)).isFalse();
    }

    @Test
    public void releaseOfBuildIsTheNewestReleaseFromThatBuild() {
        deployed(R1, null);
        deployed(R2, R1);
        releases.put(R3, new Release(R3, "v-r3", "app#1", Set.of(), ReleaseContent.empty()));
        deployed(R3, R2);

        History history = history();

        assertThat(history.releaseOfBuild("app#1")).contains(R3);
        assertThat(history.releaseOfBuild("app#2")).contains(R2);
        assertThat(history.releaseOfBuild("app#9")).isEmpty();
    }

    @Test
    public void liveSinceListsTheReleasesThatWentLiveAfterTheReleaseWasLastLive() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.DEPLOY, R3, R2, R2, Outcome.ROLLED_BACK);
        deployed(R3, R2);

        History history = history();

        assertThat(history.liveSince(R1)).contains(List.of(R2, R3));
        assertThat(history.liveSince(R2)).contains(List.of(R3));
        assertThat(history.liveSince(R3)).contains(List.of());
        assertThat(history.liveSince(ReleaseId.of("r4"))).isEmpty();
    }

    @Test
    public void liveSinceStartsAfterTheLastTimeTheReleaseWasLive() {
        deployed(R1, null);
        deployed(R2, R1);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);
        deployed(R3, R1);

        assertThat(history().liveSince(R1)).contains(List.of(R3));
    }

    @Test
    public void recordsOfAReleaseAreThoseMovingToOrFromIt() {
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R3, R2);

        assertThat(history().recordsOf(R2)).extracting(DeploymentRecord::id).containsExactly("rec-1", "rec-2");
    }

    @Test
    public void withAppendsARecordAndKnowsItsRelease() {
        deployed(R1, null);
        History before = history();
        Release r2 = new Release(R2, "v2", "app#2", Set.of(), ReleaseContent.empty());
        DeploymentRecord next = new DeploymentRecord(
                "next",
                STAGING,
                Operation.DEPLOY,
                R2,
                R1,
                R2,
                Outcome.SUCCEEDED,
                "tester",
                null,
                Instant.parse("2026-11-24T00:00:00Z"),
                Instant.parse("2026-11-24T00:01:00Z"),
                null,
                null,
                null,
                null);

        History after = before.with(next, r2);

        assertThat(after.current()).contains(R2);
        assertThat(after.release(R2)).contains(r2);
        assertThat(before.current()).contains(R1);
    }

    @Test
    public void abandonedIsTrueForTheReleaseASucceededRollbackLeftOrAFailedCheckRolledBack() {
        deployed(R1, null);
        record(Operation.ROLLBACK, R1, R2, R1, Outcome.SUCCEEDED);
        record(Operation.DEPLOY, R3, R1, R1, Outcome.ROLLED_BACK);
        record(Operation.ROLLBACK, R1, R2, R2, Outcome.FAILED);

        assertThat(records.get(1).abandoned(R2)).isTrue();
        assertThat(records.get(1).abandoned(R1)).isFalse();
        assertThat(records.get(2).abandoned(R3)).isTrue();
        assertThat(records.get(3).abandoned(R2)).isFalse();
        assertThat(records.get(0).abandoned(R1)).isFalse();
    }

    @Test
    public void releaseDeployedAgainShipsAfterTheOneItReplaced() {
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R1, R2);

        assertThat(history().shipOrder(R1)).isGreaterThan(history().shipOrder(R2));
        assertThat(history().shipOrder(R3)).isEqualTo(-1);
    }

    @Test
    public void attemptThatFailedAfterSwitchingIsUnfinishedOneThatFailedBeforeIsNot() {
        deployed(R1, null);
        deployed(R2, R1);
        deployed(R3, R2);
        record(Operation.ROLLBACK, R2, R3, R2, Outcome.FAILED);

        assertThat(history().unfinished()).hasValueSatisfying(a -> {
            assertThat(a.operation()).isEqualTo(Operation.ROLLBACK);
            assertThat(a.release()).isEqualTo(R2);
            assertThat(a.previous()).isEqualTo(R3);
        });

        record(Operation.DEPLOY, R3, R2, R2, Outcome.FAILED);

        assertThat(history().unfinished()).isEmpty();
    }
}

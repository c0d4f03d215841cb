package io.jenkins.plugins.deployrollback.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.AppendRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DeploymentsOverviewTest {
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");
    private static final EnvironmentName PRODUCTION = EnvironmentName.of("production");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private FileHistoryStore store;
    private RecordOrigins origins;
    private int minute;

    @Before
    public void setUp() {
        Path folder = temp.getRoot().toPath().resolve("history");
        store = new FileHistoryStore(folder);
        origins = new RecordOrigins(folder.resolve("origins.jsonl"));
    }

    @Test
    public void eachEnvironmentByNameWithItsLiveAndLastKnownGoodReleaseAndNewestRecordsFirst() throws Exception {
        append("p1", PRODUCTION, Operation.DEPLOY, "r1", null, "r1", Outcome.SUCCEEDED, null);
        append("p2", PRODUCTION, Operation.DEPLOY, "r2", "r1", "r1", Outcome.ROLLED_BACK, "health FAIL");
        append("s1", STAGING, Operation.DEPLOY, "r1", null, "r1", Outcome.SUCCEEDED, null);
        append("s2", STAGING, Operation.DEPLOY, "r2", "r1", "r2", Outcome.SUCCEEDED, null);
        append("s3", STAGING, Operation.ROLLBACK, "r1", "r2", "r1", Outcome.SUCCEEDED, "bad release");
        append("s4", STAGING, Operation.ROLL_FORWARD, "r2", "r1", "r2", Outcome.FAILED, "hook failed");
        origins.note("p1", "41");
        origins.note("s3", "rollback-to-build:41");

        List<EnvironmentOverview> overview = DeploymentsOverview.read(store, origins, 3);

        assertThat(overview).extracting(EnvironmentOverview::environment).containsExactly(PRODUCTION, STAGING);
        EnvironmentOverview production = overview.get(0);
        assertThat(production.live()).isEqualTo(ReleaseId.of("r1"));
        assertThat(production.lastKnownGood()).isEqualTo(ReleaseId.of("r1"));
        assertThat(production.total()).isEqualTo(2);
        assertThat(production.problems()).isEmpty();
        assertThat(production.rows())
                .containsExactly(
                        row("p2", Operation.DEPLOY, "r2", "r1", "r1", Outcome.ROLLED_BACK, "health FAIL", 1)
                                .withOrigin(null),
                        row("p1", Operation.DEPLOY, "r1", null, "r1", Outcome.SUCCEEDED, null, 0)
                                .withOrigin("41"));
        EnvironmentOverview staging = overview.get(1);
        assertThat(staging.live()).isEqualTo(ReleaseId.of("r2"));
        assertThat(staging.lastKnownGood()).isEqualTo(ReleaseId.of("r1"));
        assertThat(staging.total()).isEqualTo(4);
        assertThat(staging.rows()).extracting(OverviewRow::recordId).containsExactly("s4", "s3", "s2");
        assertThat(staging.rows()).extracting(OverviewRow::origin).containsExactly(null, "rollback-to-build:41", null);
        assertThat(staging.rows().get(1).operation()).isEqualTo(Operation.ROLLBACK);
        assertThat(staging.rows().get(1).cause()).isEqualTo("bad release");
    }

    @Test
    public void itReadsNothingButTheHistoryTheOriginsAndTheInProgressNote() throws Exception {
        append("s1", STAGING, Operation.DEPLOY, "r1", null, "r1", Outcome.SUCCEEDED, null);
        // A catalog entry and an in-progress note no reader could make sense of: the overview never opens the
        // catalog, and reports the note as a problem of its environment.
        Files.createDirectories(store.folder().resolve("releases"));
        Files.writeString(store.folder().resolve("releases/r1.json"), "not json");
        Files.writeString(store.folder().resolve("environments/staging/in-progress.json"), "not json");
        assertThatThrownBy(() -> store.read(STAGING)).isInstanceOf(java.io.IOException.class);

        List<EnvironmentOverview> overview = DeploymentsOverview.read(store, origins, 10);

        assertThat(overview).singleElement().satisfies(staging -> {
            assertThat(staging.live()).isEqualTo(ReleaseId.of("r1"));
            assertThat(staging.rows()).extracting(OverviewRow::recordId).containsExactly("s1");
            assertThat(staging.unfinished()).isNull();
            assertThat(staging.problems())
                    .singleElement()
                    .asString()
                    .startsWith("The note of the staging attempt in progress is unreadable (")
                    .endsWith("); it is left out here");
        });
    }

    @Test
    public void anAttemptBegunAndNotRecordedIsUnfinishedUntilItsRecordIsAppended() throws Exception {
        append("s1", STAGING, Operation.DEPLOY, "r1", null, "r1", Outcome.SUCCEEDED, null);
        AttemptInProgress attempt = new AttemptInProgress(
                "s2",
                STAGING,
                Operation.DEPLOY,
                ReleaseId.of("r2"),
                ReleaseId.of("r1"),
                "shop #3",
                T0.plusSeconds(600));
        store.begin(attempt);

        assertThat(DeploymentsOverview.read(store, origins, 10)).singleElement().satisfies(staging -> {
            assertThat(staging.unfinished()).isEqualTo(attempt);
            assertThat(staging.live()).as("as recorded").isEqualTo(ReleaseId.of("r1"));
        });

        append("s2", STAGING, Operation.DEPLOY, "r2", "r1", "r2", Outcome.SUCCEEDED, null);

        assertThat(DeploymentsOverview.read(store, origins, 10))
                .singleElement()
                .satisfies(staging -> assertThat(staging.unfinished()).isNull());
    }

    @Test
    public void aTornRecordIsAProblemOfItsEnvironmentOnly() throws Exception {
        append("p1", PRODUCTION, Operation.DEPLOY, "r1", null, "r1", Outcome.SUCCEEDED, null);
        append("s1", STAGING, Operation.DEPLOY, "r1", null, "r1", Outcome.SUCCEEDED, null);
        Files.writeString(
                store.folder().resolve("environments/staging/history.jsonl"),
                "{\"id\":\"torn\",\"environment\":\"stag",
                StandardOpenOption.APPEND);

        List<EnvironmentOverview> overview = DeploymentsOverview.read(store, origins, 10);

        assertThat(overview.get(0).problems()).isEmpty();
        assertThat(overview.get(1).problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("the last record (line 2")
                .contains("is incomplete"));
        assertThat(overview.get(1).total()).isEqualTo(1);
    }

    @Test
    public void aLongHistoryShowsOnlyItsNewestRecordsButCountsThemAll() throws Exception {
        AppendRecords.append(store, STAGING, "ci", 50);

        EnvironmentOverview staging =
                DeploymentsOverview.read(store, origins, 5).get(0);

        assertThat(staging.total()).isEqualTo(50);
        assertThat(staging.rows())
                .extracting(OverviewRow::recordId)
                .containsExactly("ci-49", "ci-48", "ci-47", "ci-46", "ci-45");
        assertThat(staging.live()).isEqualTo(ReleaseId.of("r49"));
        assertThat(DeploymentsOverview.read(store, origins, 0).get(0).rows()).isEmpty();
    }

    @Test
    public void noHistoryMeansNoEnvironmentsAndANegativeLimitIsRefused() throws Exception {
        assertThat(DeploymentsOverview.read(store, origins, 10)).isEmpty();
        assertThatThrownBy(() -> DeploymentsOverview.read(store, origins, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The number of records to show per environment is -1: give 0 or more");
    }

    private void append(
            String id,
            EnvironmentName environment,
            Operation operation,
            String release,
            String previous,
            String live,
            Outcome outcome,
            String cause)
            throws Exception {
        store.append(row(id, operation, release, previous, live, outcome, cause, minute++)
                .toRecord(environment));
    }

    private static Row row(
            String id,
            Operation operation,
            String release,
            String previous,
            String live,
            Outcome outcome,
            String cause,
            int minute) {
        return new Row(id, operation, release, previous, live, outcome, cause, T0.plusSeconds(60L * minute));
    }

    /** A record as the test writes it, and the row the overview should show for it. */
    private record Row(
            String id,
            Operation operation,
            String release,
            String previous,
            String live,
            Outcome outcome,
            String cause,
            Instant at) {
        DeploymentRecord toRecord(EnvironmentName environment) {
            return new DeploymentRecord(
                    id,
                    environment,
                    operation,
                    ReleaseId.of(release),
                    previous == null ? null : ReleaseId.of(previous),
                    live == null ? null : ReleaseId.of(live),
                    outcome,
                    "tester",
                    cause,
                    at,
                    at.plusSeconds(30),
                    null,
                    null,
                    null,
                    null);
        }

        OverviewRow withOrigin(String origin) {
            return OverviewRow.of(toRecord(PRODUCTION), origin);
        }
    }
}

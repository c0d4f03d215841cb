package io.jenkins.plugins.deployrollback.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class KeptArtifactsTest {
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");

    private final List<DeploymentRecord> records = new ArrayList<>();

    private void record(Operation operation, String release, String previous, String live, Outcome outcome) {
        Instant at = Instant.parse("2026-11-23T10:00:00Z").plusSeconds(60L * records.size());
        records.add(new DeploymentRecord(
                "rec-" + records.size(),
                STAGING,
                operation,
                ReleaseId.of(release),
                previous == null ? null : ReleaseId.of(previous),
                ReleaseId.of(live),
                outcome,
                "tester",
                null,
                at,
                at.plusSeconds(30),
                null,
                null,
                null,
                null));
    }

    private List<String> needed(int keepReleases) {
        return KeptArtifacts.neededBy(
                        new History(STAGING, records, Map.of(), List.of()), new RetentionPolicy(keepReleases, 0))
                .stream()
                .map(ReleaseId::value)
                .sorted()
                .toList();
    }

    @Test
    public void keepsAsManyOfTheNewestReleasesAsTheTargetsKeep() {
        for (int i = 1; i <= 200; i++) {
            record(Operation.DEPLOY, "r" + i, i == 1 ? null : "r" + (i - 1), "r" + i, Outcome.SUCCEEDED);
        }

        assertThat(needed(3)).containsExactly("r198", "r199", "r200");
    }

    @Test
    public void alwaysKeepsTheLastKnownGoodReleaseHoweverOldAndTheLiveOne() {
        record(Operation.DEPLOY, "r1", null, "r1", Outcome.SUCCEEDED);
        for (int i = 2; i <= 6; i++) {
            record(Operation.DEPLOY, "r" + i, "r1", "r1", Outcome.ROLLED_BACK);
        }

        assertThat(needed(2)).containsExactly("r1", "r5", "r6");
    }
}

package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Instant;
import java.util.Objects;

/**
 * One record as an overview lists it: what was done, to which release, how it ended, who started
 * it, and where it came from. The evidence (gates, hooks, targets) stays in the record.
 *
 * @param previous the release live before, or null
 * @param live the release live when it ended, or null
 * @param cause why it ended as it did, or null for a plain success
 * @param origin what the front end noted as its origin (see {@link RecordOrigins}), or null when unknown
 */
public record OverviewRow(
        String recordId,
        Operation operation,
        ReleaseId release,
        ReleaseId previous,
        ReleaseId live,
        Outcome outcome,
        String triggeredBy,
        String cause,
        Instant startedAt,
        Instant finishedAt,
        String origin) {
    public OverviewRow {
        Objects.requireNonNull(recordId, "record id");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The row of {@code record}, with its {@code origin} or null. */
    public static OverviewRow of(DeploymentRecord record, String origin) {
        return new OverviewRow(
                record.id(),
                record.operation(),
                record.release(),
                record.previous(),
                record.live(),
                record.outcome(),
                record.triggeredBy(),
                record.cause(),
                record.startedAt(),
                record.finishedAt(),
                origin);
    }
}

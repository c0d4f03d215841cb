package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Instant;
import java.util.Objects;

/**
 * An attempt that is about to switch targets, noted before the switch and cleared by its record. One
 * left behind means the attempt was interrupted between its switch and its record: the targets may
 * serve {@code release} while the history still says {@code previous}. Running the same operation
 * again completes it; any other operation plans from what the targets serve.
 *
 * @param id the id its record will have
 */
public record AttemptInProgress(
        String id,
        EnvironmentName environment,
        Operation operation,
        ReleaseId release,
        ReleaseId previous,
        String triggeredBy,
        Instant startedAt) {

    public AttemptInProgress {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(release, "release");
    }

    /** {@code rollback of r1 (from r2) by alice, started 2026-11-23T14:02:11Z}. */
    public String describe() {
        return operation.label() + " of " + release + (previous == null ? "" : " (from " + previous + ")") + " by "
                + triggeredBy + ", started " + startedAt;
    }
}

package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to move an environment to a release, as it ended. Records are appended, never changed.
 *
 * @param release the release the attempt moved to (for a rollback: the release rolled back to)
 * @param previous the release live before the attempt (for a rollback: the release rolled back from), or null
 * @param live the release live when the attempt ended, or null when none is
 * @param triggeredBy who or what started it ({@code alice}, {@code jenkins: deploy-app #42})
 * @param cause why it ended as it did, or why a rollback was asked for; null for a plain success
 */
public record DeploymentRecord(
        String id,
        EnvironmentName environment,
        Operation operation,
        ReleaseId release,
        ReleaseId previous,
        ReleaseId live,
        Outcome outcome,
        String triggeredBy,
        String cause,
        Instant startedAt,
        Instant finishedAt,
        List<GateVerdict> gates,
        List<HookRun> hooks,
        List<TargetReport> targets,
        List<String> warnings) {

    public DeploymentRecord {
        Objects.requireNonNull(id, "record id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(triggeredBy, "triggeredBy");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        gates = gates == null ? List.of() : List.copyOf(gates);
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
        targets = targets == null ? List.of() : List.copyOf(targets);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /**
     * The release this attempt moved away from because it was bad or unwanted: the release a rollback
     * switched away from (even if the rollback then failed a hook), or the release whose failed check
     * had it rolled back. Empty for everything else.
     */
    public Optional<ReleaseId> abandonedRelease() {
        if (operation == Operation.ROLLBACK && previous != null && !previous.equals(live)) {
            return Optional.of(previous);
        }
        return outcome == Outcome.ROLLED_BACK ? Optional.of(release) : Optional.empty();
    }

    /** True when this attempt abandoned {@code releaseId} (see {@link #abandonedRelease()}). */
    public boolean abandoned(ReleaseId releaseId) {
        return abandonedRelease().map(releaseId::equals).orElse(false);
    }

    /** True for a deploy or roll-forward that put its release live and passed its checks. */
    public boolean shippedSuccessfully() {
        return operation != Operation.ROLLBACK && outcome == Outcome.SUCCEEDED;
    }
}

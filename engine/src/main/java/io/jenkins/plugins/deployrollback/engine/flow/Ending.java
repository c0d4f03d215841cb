package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.Objects;

/** How an attempt ended: its outcome, what is live after it, why, and whether it was rolled back. */
record Ending(Outcome outcome, ReleaseId live, String cause, boolean rolledBack) {

    /** {@code release} went live where it was to go, for {@code cause} (none for a plain deploy). */
    static Ending succeeded(ReleaseId release, String cause) {
        return new Ending(Outcome.SUCCEEDED, release, cause, false);
    }

    /**
     * A failure before the switch completed: the old release serves, unless a switch back failed too
     * and the targets' journals show some serving another release than before.
     */
    static Ending failedBeforeSwitch(String failure, ReleaseId previous, TargetSteps onTargets) {
        boolean moved = onTargets.journals().stream().anyMatch(j -> !Objects.equals(j.live(), j.before()));
        if (moved) {
            return new Ending(
                    Outcome.FAILED,
                    onTargets.agreedLive(),
                    failure + " The targets now serve different releases; see the per-target report.",
                    false);
        }
        return new Ending(
                Outcome.FAILED,
                previous,
                failure + " "
                        + (previous == null
                                ? "Nothing was live before; nothing is live now."
                                : previous + " is still live."),
                false);
    }

    /**
     * A rollback that failed after its switch: the release it returned to stays live, and running the
     * same rollback again completes it (a rollback is never rolled back automatically).
     */
    static Ending rollbackNotCompleted(String failure, ReleaseId release) {
        return new Ending(
                Outcome.FAILED,
                release,
                failure + " " + release
                        + " is live, but its rollback did not complete: fix the cause, then run"
                        + " the same rollback again to complete it.",
                false);
    }
}

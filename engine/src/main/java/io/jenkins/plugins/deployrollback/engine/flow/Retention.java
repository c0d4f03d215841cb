package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Done;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The retention stage of an operation, on every target whatever happens on the others: release
 * folders beyond the policy's newest are removed, never one that is live, on a slot, or named to
 * keep; and a failed release is moved to {@code .deploy/failed/}. What could not be done is returned
 * as warnings: retention never fails an operation.
 */
final class Retention {
    private final OperationScope scope;
    private final RetentionPolicy policy;
    private final Recording recording;

    /** @param recording the attempt's record, which says what the history keeps once it is appended */
    Retention(OperationScope scope, Recording recording) {
        this.scope = scope;
        this.policy = scope.environment().retention();
        this.recording = recording;
    }

    /**
     * Removes what the policy lets go on every target, never a release that {@code history} with this
     * attempt recorded as {@code ending} keeps (live, last known good), nor {@code previous}.
     */
    List<String> retain(History history, Release release, ReleaseId previous, Ending ending) throws IOException {
        Set<ReleaseId> keep = new HashSet<>(history.with(
                        recording.build(release, previous, ending, scope.clock().instant()), release)
                .releasesToKeep());
        Optional.ofNullable(previous).ifPresent(keep::add);
        return retain(keep);
    }

    /** Removes what the policy lets go on every target of {@code sessions}, never a release of {@code keep}. */
    private List<String> retain(Set<ReleaseId> keep) throws IOException {
        scope.progress()
                .stage(
                        "retain",
                        "Keeping the newest " + policy.keepReleases() + " releases; never removing "
                                + String.join(
                                        ", ",
                                        keep.stream()
                                                .map(ReleaseId::value)
                                                .sorted()
                                                .toList())
                                + " (live, previous, last known good)");
        Results<Void> retained = scope.onTargets().everyTarget(scope.sessions(), session -> {
            scope.locks().ensureHeld(session.target());
            TargetState state = session.inspect();
            Set<ReleaseId> protectedHere = new HashSet<>(keep);
            Optional.ofNullable(state.current()).ifPresent(protectedHere::add);
            protectedHere.addAll(state.slots().values());
            for (ReleaseId id : policy.toRemove(state.releases(), protectedHere)) {
                session.remove(id);
                scope.onTargets().journal(session.target()).step("removed " + id + " (retention)");
            }
            return null;
        });
        List<String> warnings = new ArrayList<>();
        for (Done<Void> done : retained.failed()) {
            warnings.add("retention on " + done.target() + " stopped: "
                    + scope.onTargets().why(done));
            scope.progress()
                    .warn("Retention on " + done.target() + " stopped: "
                            + scope.onTargets().why(done));
        }
        return warnings;
    }

    /**
     * Moves {@code failed} out of {@code releases/} into {@code .deploy/failed/} on every target where
     * it is neither live nor on a slot (the next deploy puts another release on that slot).
     */
    List<String> archiveFailed(Release failed, History history) throws IOException {
        return history.everSucceeded(failed.id()) ? List.of() : archiveFailed(failed.id());
    }

    private List<String> archiveFailed(ReleaseId failed) throws IOException {
        Results<Void> archived = scope.onTargets().everyTarget(scope.sessions(), session -> {
            TargetJournal journal = scope.onTargets().journal(session.target());
            if (failed.equals(journal.live())) {
                return null;
            }
            scope.locks().ensureHeld(session.target());
            TargetState state = session.inspect();
            if (state.release(failed).isPresent() && state.slotOf(failed).isEmpty()) {
                session.archiveFailed(failed, policy.keepFailed());
                journal.step("archived " + failed + " in .deploy/failed");
            }
            return null;
        });
        List<String> warnings = new ArrayList<>();
        for (Done<Void> done : archived.failed()) {
            warnings.add("could not archive " + failed + " on " + done.target() + ": "
                    + scope.onTargets().why(done));
        }
        return warnings;
    }
}

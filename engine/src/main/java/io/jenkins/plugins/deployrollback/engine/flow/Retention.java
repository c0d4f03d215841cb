package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Done;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
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
    private final RetentionPolicy policy;
    private final TargetSteps onTargets;
    private final HeldLocks locks;
    private final ProgressListener progress;

    Retention(RetentionPolicy policy, TargetSteps onTargets, HeldLocks locks, ProgressListener progress) {
        this.policy = policy;
        this.onTargets = onTargets;
        this.locks = locks;
        this.progress = progress;
    }

    /** Removes what the policy lets go on every target of {@code sessions}, never a release of {@code keep}. */
    List<String> retain(Set<ReleaseId> keep, List<TargetSession> sessions) throws IOException {
        progress.stage(
                "retain",
                "Keeping the newest " + policy.keepReleases() + " releases; never removing "
                        + String.join(
                                ", ",
                                keep.stream().map(ReleaseId::value).sorted().toList())
                        + " (live, previous, last known good)");
        Results<Void> retained = onTargets.everyTarget(sessions, session -> {
            locks.ensureHeld(session.target());
            TargetState state = session.inspect();
            Set<ReleaseId> protectedHere = new HashSet<>(keep);
            Optional.ofNullable(state.current()).ifPresent(protectedHere::add);
            protectedHere.addAll(state.slots().values());
            for (ReleaseId id : policy.toRemove(state.releases(), protectedHere)) {
                session.remove(id);
                onTargets.journal(session.target()).step("removed " + id + " (retention)");
            }
            return null;
        });
        List<String> warnings = new ArrayList<>();
        for (Done<Void> done : retained.failed()) {
            warnings.add("retention on " + done.target() + " stopped: " + onTargets.why(done));
            progress.warn("Retention on " + done.target() + " stopped: " + onTargets.why(done));
        }
        return warnings;
    }

    /**
     * Moves {@code failed} out of {@code releases/} into {@code .deploy/failed/} on every target where
     * it is neither live nor on a slot (the next deploy puts another release on that slot).
     */
    List<String> archiveFailed(ReleaseId failed, List<TargetSession> sessions) throws IOException {
        Results<Void> archived = onTargets.everyTarget(sessions, session -> {
            TargetJournal journal = onTargets.journal(session.target());
            if (failed.equals(journal.live())) {
                return null;
            }
            locks.ensureHeld(session.target());
            TargetState state = session.inspect();
            if (state.release(failed).isPresent() && state.slotOf(failed).isEmpty()) {
                session.archiveFailed(failed, policy.keepFailed());
                journal.step("archived " + failed + " in .deploy/failed");
            }
            return null;
        });
        List<String> warnings = new ArrayList<>();
        for (Done<Void> done : archived.failed()) {
            warnings.add("could not archive " + failed + " on " + done.target() + ": " + onTargets.why(done));
        }
        return warnings;
    }
}

package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.CrashPoint;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.io.IOException;
import java.util.List;

/**
 * The automatic rollback of an operation that failed past the switch: the targets that moved go
 * back to the release before, staged again if need be, with the rollback hooks; and the failed
 * release is archived. Refused, with why, when automatic rollback is off, nothing was live before,
 * or the failed release declares a change that cannot be undone by switching back.
 */
final class AutomaticRollback {
    private final OperationScope scope;
    private final Staging staging;
    private final BlueGreenSlots slots;
    private final HookStage hooks;
    private final Switching switching;
    private final Retention retention;
    private final List<String> warnings;

    /** @param warnings where what retention could not do is noted, for the record */
    AutomaticRollback(
            OperationScope scope,
            Staging staging,
            BlueGreenSlots slots,
            HookStage hooks,
            Switching switching,
            Retention retention,
            List<String> warnings) {
        this.scope = scope;
        this.staging = staging;
        this.slots = slots;
        this.hooks = hooks;
        this.switching = switching;
        this.retention = retention;
        this.warnings = warnings;
    }

    /** After a failure past the switch: every target back to {@code previous}, with the rollback hooks. */
    Ending run(String failure, Release failed, ReleaseId previous, History history) throws IOException {
        if (!scope.environment().autoRollback()) {
            return new Ending(
                    Outcome.FAILED,
                    failed.id(),
                    failure + " Automatic rollback is off, so " + failed.id() + " stays live.",
                    false);
        }
        if (previous == null) {
            return new Ending(
                    Outcome.FAILED,
                    failed.id(),
                    failure + " Nothing was live before it, so " + failed.id() + " stays live.",
                    false);
        }
        if (failed.declaresIrreversibleChange()) {
            return new Ending(
                    Outcome.FAILED,
                    failed.id(),
                    failure + " " + failed.id() + " declares " + String.join(" and ", failed.facts())
                            + ", so it was not rolled back automatically: roll forward with a fix, or roll back with --force.",
                    false);
        }
        // Only the targets that moved go back: in a rollout stopped midway, the others were never touched.
        List<TargetSession> moved = scope.sessions().stream()
                .filter(session -> !previous.equals(
                        scope.onTargets().journal(session.target()).live()))
                .toList();
        boolean some = moved.size() < scope.sessions().size();
        scope.progress()
                .stage(
                        "rollback",
                        "Rolling "
                                + (some
                                        ? TargetSteps.names(TargetSteps.namesOf(moved))
                                        : scope.environment().name()) + " back to "
                                + previous
                                + (some
                                        ? " (" + (scope.sessions().size() - moved.size())
                                                + " other targets still serve it, untouched)"
                                        : ""));
        try {
            Release back = history.release(previous)
                    .orElseThrow(() -> new IOException("release " + previous + " is not in the catalog"));
            String step = "staging " + back.id();
            Results<Void> staged = scope.onTargets().allOrNothing(step, moved, session -> {
                staging.ensureStaged(session, back);
                return null;
            });
            scope.onTargets().throwIfFailed(step, staged);
            if (slots.inUse()) {
                slots.pointIdle(back);
            }
            hooks.run(HookPhase.BEFORE_SWITCH, HookMode.ROLLBACK, back, failed.id(), moved);
            switching.switchOver(previous, moved);
            hooks.run(HookPhase.AFTER_SWITCH, HookMode.ROLLBACK, back, failed.id(), moved);
            CrashPoint.reach(DeploymentFlow.CRASH_ROLLED_BACK);
            warnings.addAll(retention.archiveFailed(failed, history));
            return new Ending(
                    Outcome.ROLLED_BACK,
                    previous,
                    failure + " Rolled back to " + previous
                            + (some
                                    ? " on " + TargetSteps.names(TargetSteps.namesOf(moved))
                                            + "; the other targets were not switched"
                                    : "")
                            + ".",
                    true);
        } catch (LockLostException | TargetWorkers.Interrupted e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String also = DeploymentFlow.failureText(e);
            scope.progress().warn("The automatic rollback failed: " + also);
            ReleaseId live = scope.onTargets().agreedLive();
            return new Ending(
                    Outcome.FAILED,
                    live,
                    failure + " The automatic rollback to " + previous + " failed too: " + also
                            + (live == null
                                    ? " The targets now serve different releases; see the per-target report."
                                    : " " + live + " is live."),
                    false);
        }
    }
}

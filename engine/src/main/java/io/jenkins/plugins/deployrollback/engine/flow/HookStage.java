package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Done;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Work;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookFailedException;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hooks of an operation: each phase's hooks, hook by hook on the targets, and the variables
 * every hook and command check gets (the operation's, the release's, the direction, and for
 * blue/green the slots). Keeps every run, in order, for the record.
 */
final class HookStage {
    private final OperationScope scope;
    private final BlueGreenSlots slots;
    // Only the flow's thread adds to it, after each step, in target order: the record reads the same
    // whichever target finished first.
    private final List<HookRun> runs = new ArrayList<>();

    HookStage(OperationScope scope, BlueGreenSlots slots) {
        this.scope = scope;
        this.slots = slots;
    }

    /** Every hook run so far, in order. */
    List<HookRun> runs() {
        return runs;
    }

    /**
     * Runs the hooks of {@code phase} hook by hook: each on every one of {@code on}, then the next
     * one. The first failure stops them.
     */
    void run(HookPhase phase, HookMode mode, Release release, ReleaseId other, List<TargetSession> on)
            throws IOException {
        run(phase, mode, release, other, on, false);
    }

    /**
     * Runs the hooks of {@code phase} hook by hook on {@code on}. Unless {@code tolerant}, the first
     * failure stops them and is thrown; when {@code tolerant}, a target whose hook fails gets no more
     * hooks, the others go on, and the failed targets are returned with why.
     */
    Map<String, String> run(
            HookPhase phase, HookMode mode, Release release, ReleaseId other, List<TargetSession> on, boolean tolerant)
            throws IOException {
        Map<String, String> failed = new LinkedHashMap<>();
        List<Hook> hooks = scope.environment().hooks().stream()
                .filter(h -> h.phase() == phase && h.runOn().includes(mode))
                .toList();
        if (hooks.isEmpty() || on.isEmpty()) {
            return failed;
        }
        scope.progress()
                .stage(
                        phase.label(),
                        "Running " + phase.label() + " hooks (" + mode.label() + ")"
                                + (on.size() == scope.environment().targets().size()
                                        ? ""
                                        : " on "
                                                + TargetSteps.names(on.stream()
                                                        .map(TargetSession::target)
                                                        .toList()))
                                + ": "
                                + String.join(
                                        ", ", hooks.stream().map(Hook::name).toList()));
        for (Hook hook : hooks) {
            String step = "hook " + hook.name() + " (" + phase.label() + ", " + mode.label() + ")";
            List<TargetSession> still = on.stream()
                    .filter(session -> !failed.containsKey(session.target()))
                    .toList();
            Work<TargetSession, HookRun> work = session -> {
                scope.locks().ensureHeld(session.target());
                HookRun run;
                try {
                    run = session.runHook(
                            hook,
                            mode,
                            release.id(),
                            variablesOn(session, release, leftOn(session, release, other), mode),
                            line -> scope.progress().output(hook.name() + "@" + session.target(), line));
                } finally {
                    scope.locks().outsideWorkRan(session.target());
                }
                scope.onTargets().journal(session.target()).step("hook " + run.describe());
                scope.progress().info("hook " + run.describe());
                if (!run.succeeded()) {
                    throw new HookFailedException(run);
                }
                return run;
            };
            Results<HookRun> ran = tolerant
                    ? scope.onTargets().everyTarget(still, work)
                    : scope.onTargets().allOrNothing(step, still, work);
            for (Done<HookRun> done : ran.done()) {
                if (done.succeeded()) {
                    runs.add(done.value());
                } else if (done.failure() instanceof HookFailedException hookFailed) {
                    runs.add(hookFailed.run());
                }
            }
            if (!tolerant) {
                scope.onTargets().throwIfFailed(step, ran);
            }
            for (Done<HookRun> done : ran.failed()) {
                failed.put(done.target(), step + " failed: " + scope.onTargets().why(done));
                scope.onTargets()
                        .journal(done.target())
                        .failed(step + " failed: " + scope.onTargets().why(done));
            }
        }
        return failed;
    }

    /**
     * The release a target leaves in this move: what it served before the operation, unless that is
     * the release itself (then, the release the environment leaves).
     */
    ReleaseId leftOn(TargetSession session, Release release, ReleaseId environmentLeaves) {
        ReleaseId before = scope.onTargets().journal(session.target()).before();
        return before != null && !before.equals(release.id()) ? before : environmentLeaves;
    }

    Map<String, String> variables(Release release, ReleaseId other, HookMode mode) {
        Map<String, String> variables = new HashMap<>(scope.environment().variables());
        variables.put("DEPLOY_ENVIRONMENT", scope.environment().name().value());
        variables.put("DEPLOY_RELEASE", release.id().value());
        variables.put("DEPLOY_RELEASE_VERSION", release.version());
        variables.put("DEPLOY_PREVIOUS_RELEASE", other == null ? "" : other.value());
        variables.put("DEPLOY_OPERATION", scope.operation().label());
        variables.put("DEPLOY_MODE", mode.label());
        variables.put("DEPLOY_ACTOR", scope.actor());
        return variables;
    }

    /**
     * The variables of a hook or command on {@code session}: the operation's, and for blue/green the
     * slot that holds {@code release} there and the live one, with their ports.
     */
    Map<String, String> variablesOn(TargetSession session, Release release, ReleaseId other, HookMode mode) {
        Map<String, String> variables = variables(release, other, mode);
        variables.putAll(slots.variables(
                session.target(),
                release.id(),
                scope.onTargets().journal(session.target()).live()));
        return variables;
    }
}

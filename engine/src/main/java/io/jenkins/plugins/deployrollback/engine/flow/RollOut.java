package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Done;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.gate.TargetSides;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.support.CrashPoint;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The roll-out of an operation, from the switch to the last gate: the release put live step by step
 * as the strategy says (all at once is one step), each step's after-switch hooks, then the gates with
 * the targets switched so far. Knows whether any target switched (a failure from then on is rolled
 * back), since when, and which targets a rolling deployment left behind within its allowance.
 */
final class RollOut {
    private final OperationScope scope;
    private final HookStage hooks;
    private final Switching switching;
    private final Verification verification;
    /** When the release went live on the targets last switched: where a gate's "since" period begins. */
    private Instant switchedAt;
    /** True once some target switched to the release. */
    private boolean switched;
    /**
     * Targets of a rolling deployment that failed within its allowance and were left on the release
     * before, with why, in the order they failed.
     */
    private final Map<String, String> leftBehind = new LinkedHashMap<>();

    RollOut(OperationScope scope, HookStage hooks, Switching switching, Verification verification) {
        this.scope = scope;
        this.hooks = hooks;
        this.switching = switching;
        this.verification = verification;
    }

    /** True once some target switched to the release: a failure from then on is rolled back. */
    boolean anySwitched() {
        return switched;
    }

    /** The targets left on the release before, with why; empty unless a rolling deployment allowed it. */
    Map<String, String> leftBehind() {
        return leftBehind;
    }

    /**
     * Puts {@code release} live step by step as the strategy says (all at once is one step): each
     * step switches its targets, runs their after-switch hooks, then the gates judge the environment
     * with the targets switched so far. Rollbacks always go all at once: they must be fast.
     */
    void run(DeploymentPlan plan, Release release, ReleaseId previous) throws IOException {
        Strategy strategy = scope.environment().strategy();
        List<Integer> steps = scope.operation() == Operation.ROLLBACK
                ? List.of(scope.sessions().size())
                : strategy.waves(scope.sessions().size());
        if (steps.size() > 1) {
            scope.progress()
                    .info("Rolling out " + release.id() + " " + strategy.describe() + " in " + steps.size()
                            + " steps: "
                            + String.join(
                                    " -> ",
                                    steps.stream()
                                            .map(n -> n + "/" + scope.sessions().size())
                                            .toList())
                            + " targets");
        }
        int done = 0;
        for (int step = 0; step < steps.size(); step++) {
            List<TargetSession> wave = scope.sessions().subList(done, steps.get(step));
            done = steps.get(step);
            boolean last = step == steps.size() - 1;
            if (steps.size() > 1) {
                scope.progress()
                        .stage(
                                "step",
                                "Step " + (step + 1) + " of " + steps.size() + ": "
                                        + TargetSteps.names(TargetSteps.namesOf(wave)) + " (" + done + " of "
                                        + scope.sessions().size()
                                        + " targets)");
            }
            switchStep(strategy, release, previous, wave);
            if (step == 0) {
                CrashPoint.reach(DeploymentFlow.CRASH_AFTER_SWITCH_HOOKS);
            }
            if (!(scope.environment().strategy() instanceof Strategy.BlueGreen)) {
                // Switched targets are compared with the others only while those serve the release before.
                verification.verify(
                        plan,
                        release,
                        previous,
                        last || previous == null ? null : sides(release),
                        switchedAt == null ? scope.clock().instant() : switchedAt);
            }
            if (!last) {
                CrashPoint.reach(DeploymentFlow.CRASH_BETWEEN_STEPS);
            }
        }
    }

    /**
     * Switches the targets of one step and runs their after-switch hooks. A rolling deployment that
     * allows failed targets switches a failed one back to the release it served, notes why, and goes
     * on while the failures stay within the allowance; otherwise the first failure stops the rollout.
     */
    private void switchStep(Strategy strategy, Release release, ReleaseId previous, List<TargetSession> wave)
            throws IOException {
        int allowed = strategy instanceof Strategy.Rolling rolling && scope.operation() != Operation.ROLLBACK
                ? rolling.maxFailedTargets()
                : 0;
        if (allowed == 0) {
            switching.switchOver(release.id(), wave);
            markSwitched();
            CrashPoint.reach(DeploymentFlow.CRASH_SWITCHED);
            hooks.run(HookPhase.AFTER_SWITCH, scope.operation().hookMode(), release, previous, wave);
            return;
        }
        scope.progress()
                .stage("switch", "Switching " + TargetSteps.names(TargetSteps.namesOf(wave)) + " to " + release.id());
        List<TargetSession> toSwitch = wave.stream()
                .filter(s -> !release.id()
                        .equals(scope.onTargets().journal(s.target()).live()))
                .toList();
        Results<ReleaseId> moved = scope.onTargets().everyTarget(toSwitch, session -> {
            scope.locks().ensureHeld(session.target());
            ReleaseId was = scope.onTargets().journal(session.target()).live();
            session.switchTo(release.id());
            scope.onTargets().journal(session.target()).switched(was, release.id());
            scope.progress()
                    .info(session.target() + ": current -> " + release.id()
                            + (was == null ? "" : " (was " + was + ")"));
            return was;
        });
        Map<String, String> failed = new LinkedHashMap<>();
        for (Done<ReleaseId> done : moved.failed()) {
            String why = "switching to " + release.id() + " failed: "
                    + scope.onTargets().why(done);
            scope.onTargets().journal(done.target()).failed(why);
            failed.put(done.target(), why);
        }
        if (!moved.succeeded().isEmpty()) {
            markSwitched();
        }
        List<TargetSession> live = wave.stream()
                .filter(s -> release.id()
                        .equals(scope.onTargets().journal(s.target()).live()))
                .toList();
        Map<String, String> hookFailures =
                hooks.run(HookPhase.AFTER_SWITCH, scope.operation().hookMode(), release, previous, live, true);
        failed.putAll(hookFailures);
        List<Done<ReleaseId>> toSwitchBack = moved.succeeded().stream()
                .filter(d -> hookFailures.containsKey(d.target()))
                .toList();
        if (failed.isEmpty()) {
            return;
        }
        leftBehind.putAll(failed);
        failed.forEach((target, why) -> scope.progress().warn(target + ": " + why));
        String back = switching.switchBack(toSwitchBack);
        if (leftBehind.size() > allowed) {
            throw new IOException(Text.count(leftBehind.size(), "target") + " failed, more than the " + allowed
                    + " the rolling deployment allows: " + describeLeftBehind() + "." + back);
        }
        scope.progress()
                .warn(Text.count(leftBehind.size(), "target") + " of "
                        + scope.sessions().size() + " failed, within the "
                        + allowed + " allowed: " + TargetSteps.names(List.copyOf(leftBehind.keySet()))
                        + (leftBehind.size() == 1 ? " stays" : " stay") + " on the release before; the rollout goes on."
                        + back);
    }

    private void markSwitched() {
        switched = true;
        switchedAt = scope.clock().instant();
    }

    private String describeLeftBehind() {
        List<String> parts = new ArrayList<>();
        leftBehind.forEach((target, why) -> parts.add(target + " (" + why + ")"));
        return String.join("; ", parts);
    }

    /** The cause of a rolling deployment that succeeded with some targets left on the release before. */
    String partialCause(Release release, ReleaseId previous) {
        int live = scope.sessions().size() - leftBehind.size();
        return release.id() + " is live on " + live + " of " + scope.sessions().size() + " targets; "
                + TargetSteps.names(List.copyOf(leftBehind.keySet()))
                + (leftBehind.size() == 1 ? " stays on " : " stay on ")
                + (previous == null ? "what it served before" : previous.value()) + ": " + describeLeftBehind()
                + ". Fix the cause, then deploy " + release.id() + " again to complete it.";
    }

    /** Which targets serve {@code release} now and which do not yet, with their hosts. */
    private TargetSides sides(Release release) {
        List<String> on = new ArrayList<>();
        List<String> off = new ArrayList<>();
        for (TargetSession session : scope.sessions()) {
            (release.id().equals(scope.onTargets().journal(session.target()).live()) ? on : off).add(session.target());
        }
        Map<String, String> hosts = new HashMap<>();
        scope.environment().targets().forEach(t -> hosts.put(t.name(), t.host()));
        return new TargetSides(on, off, hosts);
    }
}

package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The plan stage of an operation, with the lock held: every target's state read (the release it
 * serves, what its slots hold), the environment's history read, the plan made from both and printed,
 * its warnings and overridden blockers kept for the record.
 */
final class Planning {
    private final OperationScope scope;
    private final HistoryStore historyStore;
    private final BlueGreenSlots slots;
    private final List<String> warnings;

    /** What an operation goes by: its plan, and the history the plan was made from. */
    record Planned(DeploymentPlan plan, History history) {}

    /**
     * @param slots where what each target's slots hold is noted
     * @param warnings where the plan's warnings are noted, for the record
     */
    Planning(OperationScope scope, HistoryStore historyStore, BlueGreenSlots slots, List<String> warnings) {
        this.scope = scope;
        this.historyStore = historyStore;
        this.slots = slots;
        this.warnings = warnings;
    }

    /** The plan {@code planner} makes from the history and the targets' state, printed as the plan stage. */
    Planned plan(BiFunction<History, List<TargetState>, DeploymentPlan> planner) throws IOException {
        List<TargetState> states = inspect();
        History history =
                withServedReleases(historyStore.read(scope.environment().name()), states, historyStore);
        DeploymentPlan plan = planner.apply(history, states);
        announce(plan);
        return new Planned(plan, history);
    }

    /**
     * {@code history} with the catalog entries of releases the targets serve although no record says
     * so (an operation interrupted after its switch), so that plans can check what they would cross.
     */
    static History withServedReleases(History history, List<TargetState> states, HistoryStore store)
            throws IOException {
        Map<ReleaseId, Release> served = new HashMap<>();
        for (TargetState state : states) {
            ReleaseId current = state.current();
            if (current != null && history.release(current).isEmpty() && !served.containsKey(current)) {
                store.release(current).ifPresent(r -> served.put(r.id(), r));
            }
        }
        return served.isEmpty() ? history : history.withReleases(served);
    }

    private List<TargetState> inspect() throws IOException {
        String step = "reading the state";
        Results<TargetState> inspected = scope.onTargets().allOrNothing(step, scope.sessions(), TargetSession::inspect);
        scope.onTargets().throwIfFailed(step, inspected);
        inspected.done().forEach(d -> {
            scope.onTargets().journal(d.target()).found(d.value().current());
            slots.found(d.target(), d.value().slots());
        });
        return inspected.values();
    }

    private void announce(DeploymentPlan plan) {
        List<String> lines = plan.describe();
        scope.progress().stage("plan", lines.get(0));
        lines.subList(1, lines.size()).forEach(scope.progress()::info);
        warnings.addAll(plan.warnings());
        if (plan.forced()) {
            warnings.addAll(plan.blockers().stream()
                    .map(b -> "overridden with --force: " + b)
                    .toList());
        }
    }
}

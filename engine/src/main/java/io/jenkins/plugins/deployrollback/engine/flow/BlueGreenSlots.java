package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The blue/green stage of an operation: what each slot of each target holds (as inspected, then kept
 * up to date), putting a release on the idle slot of every target before the switch, and the slot
 * variables hooks and checks get. With any other strategy it holds nothing and adds no variable.
 */
final class BlueGreenSlots {
    private final OperationScope scope;
    private final Strategy.BlueGreen strategy;
    /** The release each slot of each target holds. */
    private final Map<String, Map<String, ReleaseId>> held = new ConcurrentHashMap<>();
    /** The slots pointed to a release by this operation ({@code web-1/green}). */
    private final Set<String> fresh = ConcurrentHashMap.newKeySet();

    BlueGreenSlots(OperationScope scope) {
        this.scope = scope;
        this.strategy = scope.environment().strategy() instanceof Strategy.BlueGreen blueGreen ? blueGreen : null;
    }

    /** True when the environment deploys blue/green. */
    boolean inUse() {
        return strategy != null;
    }

    /** What inspecting {@code target} found on its slots. */
    void found(String target, Map<String, ReleaseId> slots) {
        held.put(target, new HashMap<>(slots));
    }

    /**
     * Puts {@code release} on the idle slot of every target: the slot that does not hold the live
     * release. A target where a slot already holds it (a rollback to the release before, an
     * interrupted deploy run again) keeps its slots as they are: that slot still runs it.
     */
    void pointIdle(Release release) throws IOException {
        scope.progress().stage("slot", "Putting " + release.id() + " on the idle slot of every target");
        String step = "pointing the idle slot to " + release.id();
        Results<String> pointed = scope.onTargets().allOrNothing(step, scope.sessions(), session -> {
            Map<String, ReleaseId> slots = held.computeIfAbsent(session.target(), t -> new HashMap<>());
            TargetJournal journal = scope.onTargets().journal(session.target());
            ReleaseId live = journal.live();
            Optional<String> holding = holding(slots, release.id());
            if (holding.isPresent()) {
                journal.step(release.id() + " already on slot " + holding.get());
                scope.progress().info(session.target() + ": slot " + holding.get() + " already holds " + release.id());
                return holding.get();
            }
            String idle = Strategy.BlueGreen.SLOTS.stream()
                    .filter(slot -> live == null || !live.equals(slots.get(slot)))
                    .findFirst()
                    .orElseThrow();
            scope.locks().ensureHeld(session.target());
            session.pointSlot(idle, release.id());
            slots.put(idle, release.id());
            fresh.add(session.target() + "/" + idle);
            journal.step("slot " + idle + " -> " + release.id());
            scope.progress()
                    .info(session.target() + ": slot " + idle + " -> " + release.id()
                            + holding(slots, live)
                                    .map(s -> " (live slot: " + s + ")")
                                    .orElse(""));
            return idle;
        });
        scope.onTargets().throwIfFailed(step, pointed);
    }

    /**
     * The slot variables of a hook or command on {@code target}: the slot that holds {@code release}
     * and the one that holds {@code live}, with their ports; none unless blue/green.
     */
    Map<String, String> variables(String target, ReleaseId release, ReleaseId live) {
        if (strategy == null) {
            return Map.of();
        }
        Map<String, ReleaseId> slots = held.getOrDefault(target, Map.of());
        String slot = holding(slots, release).orElse("");
        String liveSlot = holding(slots, live).orElse("");
        Map<String, String> variables = new HashMap<>();
        variables.put("DEPLOY_SLOT", slot);
        variables.put("DEPLOY_SLOT_PORT", port(slot));
        variables.put("DEPLOY_SLOT_FRESH", String.valueOf(fresh.contains(target + "/" + slot)));
        variables.put("DEPLOY_LIVE_SLOT", liveSlot);
        variables.put("DEPLOY_LIVE_SLOT_PORT", port(liveSlot));
        return variables;
    }

    private static Optional<String> holding(Map<String, ReleaseId> slots, ReleaseId release) {
        if (release == null) {
            return Optional.empty();
        }
        return Strategy.BlueGreen.SLOTS.stream()
                .filter(slot -> release.equals(slots.get(slot)))
                .findFirst();
    }

    private String port(String slot) {
        return slot.isEmpty() || strategy.port(slot) == 0 ? "" : String.valueOf(strategy.port(slot));
    }
}

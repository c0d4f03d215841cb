package io.jenkins.plugins.deployrollback.engine.gate;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * During a rollout in steps (rolling or canary), which targets already serve the release being
 * judged and which still serve the one before, with the host each target is reached at. A canary
 * check whose sources name {@code {host}} compares the two sides.
 *
 * @param switched the targets that serve the release judged, in target order
 * @param notSwitched the targets that still serve the release before, in target order
 * @param hosts the host of every target, by target name
 */
public record TargetSides(List<String> switched, List<String> notSwitched, Map<String, String> hosts) {
    public TargetSides {
        switched = List.copyOf(switched);
        notSwitched = List.copyOf(notSwitched);
        hosts = Map.copyOf(hosts);
        for (String target : switched) {
            Objects.requireNonNull(hosts.get(target), () -> "no host for target " + target);
        }
        for (String target : notSwitched) {
            Objects.requireNonNull(hosts.get(target), () -> "no host for target " + target);
        }
    }

    /** The distinct hosts of one side, in target order: the switched side for {@code canary}. */
    public List<String> hostsOf(boolean canary) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        (canary ? switched : notSwitched).forEach(t -> distinct.add(hosts.get(t)));
        return List.copyOf(distinct);
    }

    /** True when some targets switched and some did not: there is something to compare. */
    public boolean comparable() {
        return !switched.isEmpty() && !notSwitched.isEmpty();
    }
}

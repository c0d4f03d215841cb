package io.jenkins.plugins.deployrollback.engine.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where one kind of operation's time went, round by round: by stage of the flow (from the progress
 * listener's stage announcements) and by call on the targets (from {@link TimedTarget}, added up over
 * the targets). A part missing from a round counts as zero in it.
 */
final class Breakdown {
    /** The part of an operation not spent in a call on a target, when targets are worked on one at a time. */
    static final String LOCAL = "rest: engine work outside target calls (history, plan)";

    private final Samples wall = new Samples();
    private final Samples local = new Samples();
    private final Map<String, Samples> stages = new LinkedHashMap<>();
    private final Map<String, Samples> calls = new LinkedHashMap<>();
    private final Map<String, int[]> counts = new LinkedHashMap<>();
    private int rounds;

    void add(long wallNanos, Map<String, Long> stageNanos, Map<String, CallTimes.Total> callTotals) {
        wall.add(wallNanos);
        local.add(wallNanos
                - callTotals.values().stream().mapToLong(CallTimes.Total::nanos).sum());
        addRound(stages, stageNanos);
        Map<String, Long> callNanos = new LinkedHashMap<>();
        callTotals.forEach((call, total) -> callNanos.put(call, total.nanos()));
        addRound(calls, callNanos);
        callTotals.forEach((call, total) -> counts.merge(call, new int[] {total.count(), total.count()}, (a, b) ->
                new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])}));
        rounds++;
    }

    private void addRound(Map<String, Samples> parts, Map<String, Long> round) {
        for (String part : round.keySet()) {
            parts.computeIfAbsent(part, p -> {
                Samples samples = new Samples();
                for (int i = 0; i < rounds; i++) {
                    samples.add(0);
                }
                return samples;
            });
        }
        parts.forEach((part, samples) -> samples.add(round.getOrDefault(part, 0L)));
    }

    boolean isEmpty() {
        return rounds == 0;
    }

    Samples wall() {
        return wall;
    }

    /** Wall time less the calls on targets: local work when targets are handled one at a time (negative when in parallel). */
    Samples local() {
        return local;
    }

    Map<String, Samples> stages() {
        return stages;
    }

    Map<String, Samples> calls() {
        return calls;
    }

    Set<String> callNames() {
        return calls.keySet();
    }

    /** How many calls of a kind an operation made: {@code 7}, or {@code 7-9} when it varied. */
    String count(String call) {
        int[] range = counts.get(call);
        if (range == null) {
            return "0";
        }
        return range[0] == range[1] ? Integer.toString(range[0]) : range[0] + "-" + range[1];
    }
}

package io.jenkins.plugins.deployrollback.engine.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deploy time of a new small release on {@code hosts} hosts, all at once and rolling in batches of each
 * size: the same staging, then one switch wave per batch.
 *
 * @param load the 1-minute load average when this measurement began
 */
final class RollingRollout {
    final int hosts;
    final int sizeMib;
    final double load;
    /** The baseline: {@code Strategy.AllAtOnce}. */
    final Breakdown allAtOnce = new Breakdown();
    /** By batch size, in the order measured. */
    final Map<Integer, Breakdown> rolling = new LinkedHashMap<>();
    /** By batch size: how many waves (switch steps) a rollout took. */
    final Map<Integer, Integer> steps = new LinkedHashMap<>();

    RollingRollout(int hosts, int sizeMib, double load, List<Integer> batches, Map<Integer, Integer> steps) {
        this.hosts = hosts;
        this.sizeMib = sizeMib;
        this.load = load;
        for (int batch : batches) {
            rolling.put(batch, new Breakdown());
        }
        this.steps.putAll(steps);
    }

    /** The flow's stages that switch: each step's start and its switch wave (no hooks or gates run here). */
    static final List<String> SWITCHING = List.of("step", "switch");

    /**
     * Round by round, the time from the first step's start to the end of the last switch wave: the
     * part of a deploy the batch size changes (the staging before is the same).
     */
    static Samples switching(Breakdown deploy) {
        int rounds = deploy.wall().seconds().size();
        long[] sums = new long[rounds];
        for (String stage : SWITCHING) {
            Samples samples = deploy.stages().get(StageClock.SEGMENTS.getOrDefault(stage, stage));
            if (samples != null) {
                List<Double> seconds = samples.seconds();
                for (int i = 0; i < rounds; i++) {
                    sums[i] += Math.round(seconds.get(i) * 1e9);
                }
            }
        }
        Samples switching = new Samples();
        for (long sum : sums) {
            switching.add(sum);
        }
        return switching;
    }

    /** A rolling deploy's median time over the all-at-once deploy's. */
    double ratio(int batch) {
        return rolling.get(batch).wall().median() / allAtOnce.wall().median();
    }
}

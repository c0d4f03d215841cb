package io.jenkins.plugins.deployrollback.engine.bench;

import java.util.ArrayList;
import java.util.List;

/** The durations of one measured thing, round by round; summarised by median and minimum. */
final class Samples {
    private final List<Long> nanos = new ArrayList<>();

    void add(long duration) {
        nanos.add(duration);
    }

    boolean isEmpty() {
        return nanos.isEmpty();
    }

    /** In the order they were taken. */
    List<Double> seconds() {
        return nanos.stream().map(n -> n / 1e9).toList();
    }

    /** The middle value (the mean of the two middle ones for an even count): what a typical run takes. */
    double median() {
        List<Long> sorted = nanos.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        double middle = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return middle / 1e9;
    }

    double min() {
        return nanos.stream().mapToLong(Long::longValue).min().orElse(Long.MIN_VALUE) / 1e9;
    }
}

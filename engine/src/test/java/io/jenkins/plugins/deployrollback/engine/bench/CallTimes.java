package io.jenkins.plugins.deployrollback.engine.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long each kind of call on the targets took during one operation, added up over every target, and
 * how many there were. {@link TimedTarget} fills it; {@link #takeAll()} hands the totals over and starts
 * afresh.
 */
final class CallTimes {
    /** One kind of call: its total duration over all targets and how often it was made. */
    record Total(long nanos, int count) {}

    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    private Map<String, Total> totals = new LinkedHashMap<>();

    <T> T time(String call, Call<T> work) throws IOException {
        long start = System.nanoTime();
        try {
            return work.run();
        } finally {
            add(call, System.nanoTime() - start);
        }
    }

    private synchronized void add(String call, long nanos) {
        totals.merge(call, new Total(nanos, 1), (a, b) -> new Total(a.nanos + b.nanos, a.count + b.count));
    }

    synchronized Map<String, Total> takeAll() {
        Map<String, Total> taken = totals;
        totals = new LinkedHashMap<>();
        return taken;
    }
}

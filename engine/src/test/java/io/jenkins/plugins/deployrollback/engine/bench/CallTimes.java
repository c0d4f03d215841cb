package io.jenkins.plugins.deployrollback.engine.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How long each kind of call on the targets took during one operation, added up over every target, and
 * how many there were; and on which targets a release was written (staged, not found already there).
 * {@link TimedTarget} fills it; {@link #takeAll()} hands the totals over and starts afresh.
 */
final class CallTimes {
    /** One kind of call: its total duration over all targets and how often it was made. */
    record Total(long nanos, int count) {}

    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    private Map<String, Total> totals = new LinkedHashMap<>();
    private Set<String> staged = new TreeSet<>();

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

    /** Notes that {@code target} had a release written to it: transferred and unpacked, not found there. */
    synchronized void staged(String target) {
        staged.add(target);
    }

    /** The call totals since the last take. */
    synchronized Map<String, Total> takeAll() {
        Map<String, Total> taken = totals;
        totals = new LinkedHashMap<>();
        return taken;
    }

    /** The targets a release was written to since the last take. */
    synchronized Set<String> takeStaged() {
        Set<String> taken = staged;
        staged = new TreeSet<>();
        return taken;
    }
}

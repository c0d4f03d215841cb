package io.jenkins.plugins.deployrollback.engine.bench;

import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A progress listener that notes when each stage of the flow begins, so that an operation's time can be
 * split by stage: from one stage's start to the next one's. Warnings (a retry, a lock taken over) are
 * printed, as they mean the measurement was disturbed.
 */
final class StageClock implements ProgressListener {
    /** What the time from the start of the call to the first stage, and from each stage on, covers. */
    static final Map<String, String> SEGMENTS = segments();

    private record Mark(String stage, long at) {}

    private final List<Mark> marks = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private static Map<String, String> segments() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("start", "open sessions");
        names.put("lock", "lock + inspect + plan");
        names.put("plan", "check what is staged, note the attempt");
        names.put("stage", "stage (transfer, verify, commit)");
        names.put("slot", "point the idle slots (blue/green)");
        names.put("step", "start of a step (rolling)");
        names.put("switch", "switch");
        names.put("retain", "retention");
        names.put("record", "record + unlock + close");
        return names;
    }

    synchronized void start() {
        marks.clear();
        marks.add(new Mark("start", System.nanoTime()));
    }

    /** The time spent from each stage's start to the next, added up by stage, since {@link #start()}. */
    synchronized Map<String, Long> finish() {
        marks.add(new Mark("end", System.nanoTime()));
        Map<String, Long> spent = new LinkedHashMap<>();
        for (int i = 0; i + 1 < marks.size(); i++) {
            String name =
                    SEGMENTS.getOrDefault(marks.get(i).stage(), marks.get(i).stage());
            spent.merge(name, marks.get(i + 1).at() - marks.get(i).at(), Long::sum);
        }
        return spent;
    }

    /** How many times {@code stage} began since {@link #start()}. */
    synchronized int count(String stage) {
        return (int) marks.stream().filter(m -> m.stage().equals(stage)).count();
    }

    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public synchronized void stage(String stage, String message) {
        marks.add(new Mark(stage, System.nanoTime()));
    }

    @Override
    public void info(String message) {}

    @Override
    public synchronized void warn(String message) {
        warnings.add(message);
        System.err.println("WARNING during a measured operation: " + message);
    }

    @Override
    public void output(String source, String line) {}
}

package io.jenkins.plugins.deployrollback.engine.testing;

import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every progress line, to assert on what an operation told its user. */
public final class RecordingProgress implements ProgressListener {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void stage(String stage, String message) {
        lines.add("[" + stage + "] " + message);
    }

    @Override
    public void info(String message) {
        lines.add(message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARNING " + message);
    }

    @Override
    public void output(String source, String line) {
        lines.add(source + " | " + line);
    }

    @Override
    public void transfer(String target, String release, long sent, long total, java.time.Duration elapsed) {
        lines.add("TRANSFER " + target + " " + release + " " + sent + "/" + total + " after " + elapsed.toMillis()
                + " ms");
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The uploads reported, as {@code web-1 r3 2000/3000 after 1100 ms}. */
    public List<String> transfers() {
        return lines().stream()
                .filter(l -> l.startsWith("TRANSFER "))
                .map(l -> l.substring("TRANSFER ".length()))
                .toList();
    }

    public List<String> warnings() {
        return lines().stream().filter(l -> l.startsWith("WARNING ")).toList();
    }
}

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

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public List<String> warnings() {
        return lines().stream().filter(l -> l.startsWith("WARNING ")).toList();
    }
}

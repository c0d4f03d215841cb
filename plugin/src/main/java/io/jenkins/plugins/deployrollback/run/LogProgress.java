package io.jenkins.plugins.deployrollback.run;

import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import java.io.PrintStream;

/** The engine's progress in the build log, one line each, prefixed so it stands out among other steps. */
final class LogProgress implements ProgressListener {
    private final PrintStream log;

    LogProgress(PrintStream log) {
        this.log = log;
    }

    @Override
    public synchronized void stage(String stage, String message) {
        log.println("[deploy-rollback] " + stage + ": " + message);
    }

    @Override
    public synchronized void info(String message) {
        log.println("[deploy-rollback] " + message);
    }

    @Override
    public synchronized void warn(String message) {
        log.println("[deploy-rollback] WARNING: " + message);
    }

    @Override
    public synchronized void output(String source, String line) {
        log.println("[" + source + "] " + line);
    }
}

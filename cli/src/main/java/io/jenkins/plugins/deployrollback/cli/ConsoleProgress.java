package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Prints progress as timestamped lines: stages in brackets, hook output indented with its source. */
final class ConsoleProgress implements ProgressListener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintWriter out;
    private final Clock clock;

    ConsoleProgress(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    private synchronized void line(String text) {
        out.println(TIME.format(LocalTime.ofInstant(clock.instant(), ZoneId.systemDefault())) + "  " + text);
        out.flush();
    }

    @Override
    public void stage(String stage, String message) {
        line("[" + stage + "] " + message);
    }

    @Override
    public void info(String message) {
        line("    " + message);
    }

    @Override
    public void warn(String message) {
        line("    WARNING: " + message);
    }

    @Override
    public void output(String source, String line) {
        line("      " + source + " | " + line);
    }
}

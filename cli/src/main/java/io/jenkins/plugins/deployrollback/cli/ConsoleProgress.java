package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Prints progress as timestamped lines: stages in brackets, hook output indented with its source.
 * On a terminal, a long upload also shows its bytes and rate per host about once a second; in a log
 * (CI, a file, a pipe) those lines are left out, so the log keeps only what happened.
 */
final class ConsoleProgress implements ProgressListener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintWriter out;
    private final Clock clock;
    private final boolean terminal;

    ConsoleProgress(PrintWriter out, Clock clock, boolean terminal) {
        this.out = out;
        this.clock = clock;
        this.terminal = terminal;
    }

    /** True when this process writes to a terminal a person watches. */
    static boolean onATerminal() {
        return System.console() != null;
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

    @Override
    public void transfer(String target, String release, long sent, long total, Duration elapsed) {
        if (!terminal) {
            return;
        }
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        String rate = Text.bytes((long) (sent / seconds)) + "/s";
        line("    " + target + ": " + (sent >= total ? "uploaded " : "uploading ") + release + ": "
                + Text.bytes(sent) + " of " + Text.bytes(total) + " (" + (total == 0 ? 100 : sent * 100 / total)
                + "%), " + rate);
    }
}

package io.jenkins.plugins.deployrollback.engine.hook;

import java.time.Duration;
import java.util.List;

/**
 * What one run of a hook on one target did: its exit status (or that it timed out and was stopped),
 * how long it took and the last lines it printed.
 */
public record HookRun(
        String hook,
        String target,
        HookPhase phase,
        HookMode mode,
        int exitStatus,
        boolean timedOut,
        Duration duration,
        List<String> lastOutput) {
    public HookRun {
        lastOutput = List.copyOf(lastOutput);
    }

    public boolean succeeded() {
        return !timedOut && exitStatus == 0;
    }

    /** {@code migrate (beforeSwitch, deploy) on web-1: exit 0 in 1.2 s}. */
    public String describe() {
        return hook + " (" + phase.label() + ", " + mode.label() + ") on " + target + ": " + ending();
    }

    /** How it ended: {@code exit 3 in 1.2 s}, {@code timed out after 5 min 0 s and was stopped}. */
    public String ending() {
        return timedOut
                ? "timed out after " + io.jenkins.plugins.deployrollback.engine.support.Text.duration(duration)
                        + " and was stopped"
                : "exit " + exitStatus + " in "
                        + io.jenkins.plugins.deployrollback.engine.support.Text.duration(duration);
    }
}

package io.jenkins.plugins.deployrollback.engine.hook;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A command run on every target at a {@link HookPhase phase} of the flow, for the operations its
 * {@link RunOn} names, in the release's folder, stopped (with everything it started) when it runs
 * longer than its timeout. A non-zero exit status is a failure, always.
 */
public record Hook(String name, HookPhase phase, RunOn runOn, String command, Duration timeout) {
    /** Timeout when none is given: long enough for a migration, short enough to notice a hang. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public Hook {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "Hook name " + Text.quote(name) + " is invalid: use letters, digits, '.', '_' or '-' (at most 64)");
        }
        Objects.requireNonNull(phase, "phase of hook " + name);
        Objects.requireNonNull(runOn, "runOn of hook " + name);
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("Hook " + name + " has no command: give the shell command to run");
        }
        if (command.indexOf('\0') >= 0 || command.length() > 8192) {
            throw new IllegalArgumentException(
                    "Hook " + name + " has an invalid command: at most 8192 characters and no NUL");
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("Hook " + name + " has timeout " + timeout
                    + ": use a duration between 1 ms and 24 h, such as 30s or 5m");
        }
    }
}

package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.targets.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and retries of an SSH target.
 *
 * @param connectTimeout how long connecting and logging in may take
 * @param commandTimeout how long one of the engine's own remote commands may run (hooks have their own
 *     timeout); on expiry the command and everything it started are killed on the host
 * @param keepAlive how often an idle connection is probed; after three unanswered probes it is dead
 * @param retry how transient failures (refused, reset, timed out) are retried
 */
public record SshSettings(Duration connectTimeout, Duration commandTimeout, Duration keepAlive, RetryPolicy retry) {
    public static final SshSettings DEFAULT =
            new SshSettings(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(15), RetryPolicy.DEFAULT);

    public SshSettings {
        Objects.requireNonNull(retry, "retry policy");
        requirePositive("connect timeout", connectTimeout);
        requirePositive("command timeout", commandTimeout);
        requirePositive("keepalive interval", keepAlive);
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SSH " + what + " " + value + " is invalid: give a positive duration");
        }
    }

    public SshSettings withRetry(RetryPolicy policy) {
        return new SshSettings(connectTimeout, commandTimeout, keepAlive, policy);
    }
}

package io.jenkins.plugins.deployrollback.engine.targets;

import java.time.Duration;

/**
 * How often a step that failed for a passing reason (connection refused or reset, a timeout) is tried
 * again before it fails: {@code attempts} in all, waiting {@code firstDelay}, then twice as long each
 * time, at most {@code maxDelay}. Failures that cannot pass on their own (authentication, host key, a
 * command's non-zero exit) are never retried.
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {
    /** Try once, never again. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    /** Three attempts, 1 s then 2 s apart. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(10));

    public RetryPolicy {
        if (attempts < 1 || attempts > 20) {
            throw new IllegalArgumentException(
                    "Retry attempts " + attempts + " is out of range: use 1 (no retry) to 20 attempts in all");
        }
        if (firstDelay == null || firstDelay.isNegative() || maxDelay == null || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("Retry delays " + firstDelay + " and " + maxDelay
                    + " are invalid: the first delay must be 0 or more, the longest at least the first");
        }
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry) {
        Duration delay = firstDelay;
        for (int i = 1; i < retry && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** {@code 3 attempts, 1s apart doubling to at most 10s}. */
    public String describe() {
        return attempts == 1
                ? "no retries"
                : attempts + " attempts, " + firstDelay.toMillis() + " ms apart doubling to at most "
                        + maxDelay.toMillis() + " ms";
    }
}

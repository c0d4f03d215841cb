package io.jenkins.plugins.deployrollback.engine.targets;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.Predicate;

/** Runs a step under a {@link RetryPolicy}: transient failures are tried again after a pause, others fail at once. */
public final class Retrying {
    private Retrying() {}

    /** The step to run. */
    @FunctionalInterface
    public interface Step<T> {
        T run() throws IOException;
    }

    /** Told before each retry: which one, of how many attempts, after what failure, after what pause. */
    @FunctionalInterface
    public interface Listener {
        void retrying(int retry, int attempts, IOException cause, Duration delay);
    }

    /** How to wait between attempts (tests wait on a clock of their own). */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration delay) throws InterruptedException;

        Pause SLEEP = delay -> Thread.sleep(delay.toMillis());
    }

    public static <T> T call(
            RetryPolicy policy, Predicate<IOException> isTransient, Listener listener, Pause pause, Step<T> step)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.run();
            } catch (IOException e) {
                if (attempt >= policy.attempts() || !isTransient.test(e)) {
                    throw e;
                }
                Duration delay = policy.delayBefore(attempt);
                listener.retrying(attempt, policy.attempts(), e, delay);
                try {
                    pause.pause(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException stop = new InterruptedIOException("interrupted while waiting to retry");
                    stop.addSuppressed(e);
                    throw stop;
                }
            }
        }
    }
}

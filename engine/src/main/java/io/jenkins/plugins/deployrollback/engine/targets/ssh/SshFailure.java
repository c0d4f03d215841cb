package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import java.io.IOException;

/**
 * A failure talking to an SSH target. {@link #retryable()} failures (refused, reset, timed out, the
 * connection lost) may pass on their own and are retried; the others (authentication, host key, a
 * bad key) are reported at once.
 */
public class SshFailure extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    SshFailure(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** True for failures worth trying again: this kind's retryable ones. */
    static boolean isTransient(IOException e) {
        return e instanceof SshFailure failure && failure.retryable();
    }
}

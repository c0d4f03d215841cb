package io.jenkins.plugins.deployrollback.engine.history;

/** A release id is already recorded with other content or other facts; release ids are immutable. */
public class ReleaseConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReleaseConflictException(String message) {
        super(message);
    }
}

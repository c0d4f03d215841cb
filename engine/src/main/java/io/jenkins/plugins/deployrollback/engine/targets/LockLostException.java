package io.jenkins.plugins.deployrollback.engine.targets;

/**
 * The lock an operation held was taken over or removed while it ran. The operation stops at once:
 * it changes nothing more on any target and records nothing, because another operation now owns
 * the targets. The targets' ledgers show what it did before it stopped.
 */
public class LockLostException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    public LockLostException(String message) {
        super(message);
    }
}

package io.jenkins.plugins.deployrollback.engine.release;

/**
 * What was written differs from what the release says it holds: the artifact changed after it was
 * read, or was corrupted on the way. The partly written release is discarded; the live release is
 * untouched.
 */
public class ChecksumMismatchException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(String message) {
        super(message);
    }
}

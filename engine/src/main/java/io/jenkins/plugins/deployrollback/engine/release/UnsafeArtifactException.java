package io.jenkins.plugins.deployrollback.engine.release;

/**
 * An artifact would write outside its release folder (a "..", an absolute path, a link that points
 * out) or holds something that is not a file, folder or link. Nothing has been written when this is
 * thrown.
 */
public class UnsafeArtifactException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsafeArtifactException(String message) {
        super("Unsafe artifact: " + message + ". Nothing was written.");
    }

    UnsafeArtifactException(String artifact, UnsafeArtifactException cause) {
        super(cause.getMessage().replaceFirst("^Unsafe artifact: ", "Unsafe artifact " + artifact + ": "), cause);
    }
}

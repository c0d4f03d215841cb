package io.jenkins.plugins.deployrollback.engine.release;

/**
 * An artifact cannot be a release: an archive that is corrupt or truncated, or an artifact with no
 * file in it. The message names the artifact and what is wrong with it. Nothing has been written
 * when this is thrown.
 */
public class InvalidArtifactException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidArtifactException(String message) {
        super(message);
    }

    InvalidArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.jenkins.plugins.deployrollback.engine.targets;

/**
 * The target holds something the operation must not overwrite: a release folder with the same id but
 * other content, or a shared file that is missing. Nothing was changed.
 */
public class TargetConflictException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    public TargetConflictException(String message) {
        super(message);
    }
}

package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.release.ReleasePath;

/**
 * A path that survives releases: it lives under {@code shared/} and every release gets a link to it.
 * Written with a trailing '/' it is a folder (created when missing); without, a file that must
 * already exist in {@code shared/}.
 */
public record SharedPath(String path, boolean folder) {
    public SharedPath {
        path = ReleasePath.checkEntry(path);
    }

    /** {@code logs/} is a folder, {@code config/app.yml} a file. */
    public static SharedPath parse(String text) {
        return new SharedPath(text, text.endsWith("/"));
    }

    @Override
    public String toString() {
        return folder ? path + "/" : path;
    }
}

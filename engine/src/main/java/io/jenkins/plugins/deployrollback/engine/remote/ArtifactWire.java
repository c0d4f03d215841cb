package io.jenkins.plugins.deployrollback.engine.remote;

import java.io.IOException;

/**
 * Where the artifacts of earlier releases are fetched from when a release must be staged again
 * (Jenkins: the archived artifacts of the build that deployed it). The answer is a path on the
 * machine running the engine, where the wire's other end has put a copy.
 */
public interface ArtifactWire {
    /** Answers nothing: no release's artifacts are kept. */
    ArtifactWire NONE = releaseId -> null;

    /**
     * Puts a copy of {@code releaseId}'s artifacts on the engine's machine and returns its path (a
     * folder, or a {@code .tar.gz}/{@code .zip} file), or null when they are not kept anywhere.
     */
    String fetch(String releaseId) throws IOException;
}

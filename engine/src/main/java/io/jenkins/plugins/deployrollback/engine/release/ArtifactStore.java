package io.jenkins.plugins.deployrollback.engine.release;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps each release's artifacts so that a release whose folder was pruned from a target can be
 * staged again (REDEPLOY). The command line keeps copies in a folder; Jenkins uses the build's
 * archived artifacts.
 */
public interface ArtifactStore {
    /** Keeps {@code source} as the artifacts of {@code release}, unless already kept. */
    void keep(Release release, ArtifactSource source) throws IOException;

    /** The kept artifacts of {@code release}, if any. */
    Optional<ArtifactSource> find(ReleaseId release) throws IOException;
}

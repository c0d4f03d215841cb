package io.jenkins.plugins.deployrollback.engine.remote;

import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link ArtifactStore} whose artifacts are kept on the other end of an {@link ArtifactWire}
 * (Jenkins: archived with the build that deployed them). It keeps nothing itself: the far side
 * archives the artifacts its own way, so {@link #keep} does nothing. {@link #find} asks the wire for
 * a copy on this machine, once per release for the life of this store: planning asks whether a
 * release's artifacts are kept and staging then uses them, and one copy serves both.
 */
public final class RemoteArtifactStore implements ArtifactStore {
    private final ArtifactWire wire;
    /** The answer for each release asked about; absent from the map when never asked (or the fetch failed). */
    private final Map<ReleaseId, Optional<ArtifactSource>> fetched = new HashMap<>();

    public RemoteArtifactStore(ArtifactWire wire) {
        this.wire = Objects.requireNonNull(wire, "artifact wire");
    }

    /** Does nothing: the far side keeps the artifacts of each release itself. */
    @Override
    public void keep(Release release, ArtifactSource source) {}

    @Override
    public synchronized Optional<ArtifactSource> find(ReleaseId release) throws IOException {
        Optional<ArtifactSource> known = fetched.get(release);
        if (known == null) {
            known = fetch(release);
            fetched.put(release, known);
        }
        return known;
    }

    private Optional<ArtifactSource> fetch(ReleaseId release) throws IOException {
        String answer = wire.fetch(release.value());
        if (answer == null) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(answer);
        } catch (InvalidPathException e) {
            throw new IOException("The artifacts of release " + release + " were fetched to " + Text.quote(answer)
                    + ", which is no path on this machine: the wire must answer with a path here");
        }
        if (!path.isAbsolute()) {
            throw new IOException("The artifacts of release " + release + " were fetched to " + Text.quote(answer)
                    + ", a relative path: the wire must answer with an absolute path on this machine");
        }
        if (!Files.exists(path)) {
            throw new IOException("The artifacts of release " + release + " were fetched to " + Text.quote(answer)
                    + ", but nothing is there: the wire must put the copy on this machine before answering");
        }
        try {
            return Optional.of(ArtifactSource.of(path));
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "The artifacts of release " + release + " were fetched, but are unusable: " + e.getMessage(), e);
        }
    }
}

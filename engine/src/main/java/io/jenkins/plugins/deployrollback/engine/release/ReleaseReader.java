package io.jenkins.plugins.deployrollback.engine.release;

import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an artifact source without writing anything and returns its exact content: every file with
 * its size and SHA-256, every link and folder. Every entry is checked on the way; the first unsafe
 * one ({@code ..}, an absolute path, a link pointing out, a device) stops the read with an
 * {@link UnsafeArtifactException}.
 */
public final class ReleaseReader {
    private ReleaseReader() {}

    /** The content of {@code source}, checked and hashed. */
    public static ReleaseContent read(ArtifactSource source) throws IOException {
        List<Artifact> artifacts = new ArrayList<>();
        Map<String, Artifact> byPath = new HashMap<>();
        List<ReleaseLink> links = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        try {
            ArtifactEntries.walk(source, new ArtifactEntries.Visitor() {
                @Override
                public void directory(String path) {
                    String normal = ReleasePath.check(path);
                    if (!normal.isEmpty()) {
                        directories.add(normal);
                    }
                }

                @Override
                public void file(String path, boolean executable, InputStream content) throws IOException {
                    String normal = ReleasePath.checkEntry(path);
                    Sha256.Hashed hashed = Sha256.of(content, OutputStream.nullOutputStream());
                    Artifact artifact = new Artifact(normal, hashed.size(), hashed.sha256(), executable);
                    artifacts.add(artifact);
                    byPath.put(normal, artifact);
                }

                @Override
                public void link(String path, String target) {
                    links.add(new ReleaseLink(ReleasePath.checkEntry(path), target));
                }

                @Override
                public void hardLink(String path, String target) {
                    String normal = ReleasePath.checkEntry(path);
                    Artifact original = byPath.get(earlierEntry(target));
                    if (original == null) {
                        throw new UnsafeArtifactException("hard link " + Text.quote(path) + " -> " + Text.quote(target)
                                + " does not point to an earlier file of the archive");
                    }
                    Artifact copy = new Artifact(normal, original.size(), original.sha256(), original.executable());
                    artifacts.add(copy);
                    byPath.put(normal, copy);
                }
            });
            return new ReleaseContent(artifacts, links, directories);
        } catch (UnsafeArtifactException e) {
            throw new UnsafeArtifactException(source.toString(), e);
        }
    }

    /** The normal form of a hard link's target, or null when it cannot name an entry (so the link is refused as such). */
    private static String earlierEntry(String target) {
        try {
            return ReleasePath.checkEntry(target);
        } catch (UnsafeArtifactException e) {
            return null;
        }
    }
}

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

    /** What a read does with an artifact that holds no file and no link. */
    public enum Empty {
        /** Refused: an empty release would replace the live one with nothing (a build's wrong output path). */
        REFUSE,
        /** Read as an empty release: asked for explicitly. */
        ALLOW
    }

    /**
     * The content of {@code source}, checked and hashed. An archive that cannot be unpacked, and an
     * artifact with no file or link in it (nothing, or only empty folders), are refused with an
     * {@link InvalidArtifactException} naming it.
     */
    public static ReleaseContent read(ArtifactSource source) throws IOException {
        return read(source, Empty.REFUSE);
    }

    /** {@link #read(ArtifactSource)}, reading an empty artifact as an empty release when {@code empty} allows it. */
    public static ReleaseContent read(ArtifactSource source, Empty empty) throws IOException {
        ReleaseContent content = readEntries(source);
        if (empty == Empty.REFUSE
                && content.artifacts().isEmpty()
                && content.links().isEmpty()) {
            throw new InvalidArtifactException("Artifact " + source + " holds no file"
                    + (content.directories().isEmpty()
                            ? ""
                            : ", only " + Text.count(content.directories().size(), "empty folder"))
                    + ": deploying it would replace the live release with nothing. Check the path the build"
                    + " writes its output to; to deploy an empty release on purpose, allow it (--allow-empty)."
                    + " Nothing was written.");
        }
        return content;
    }

    private static ReleaseContent readEntries(ArtifactSource source) throws IOException {
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
        } catch (IOException e) {
            if (source instanceof ArtifactSource.Archive archive && !(e instanceof java.io.InterruptedIOException)) {
                throw new InvalidArtifactException(
                        "Artifact " + source + " is not a readable "
                                + archive.format().label() + " archive: " + problem(archive, e)
                                + ". Nothing was written.",
                        e);
            }
            throw e;
        }
    }

    /** What is wrong with an archive, in words, from how unpacking it failed. */
    private static String problem(ArtifactSource.Archive archive, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof java.io.EOFException
                || message.contains("Truncated")
                || message.contains("truncated")
                || message.contains("Unexpected end")
                || message.contains("premature end")) {
            return "it ends early, before its last entry: the file is truncated (was a copy or download cut short?)";
        }
        if (message.contains("not in the .gz format")) {
            return "it is not gzip-compressed data (a .tar.gz must be made with tar -czf)";
        }
        if (message.contains("not a ZIP archive")) {
            return "it has no zip directory at its end: it is truncated or not a zip archive at all";
        }
        if (archive.format() == ArtifactSource.ArchiveFormat.TAR_GZ && message.contains("header")) {
            return "an entry's header is corrupt (" + message + ")";
        }
        return "it cannot be unpacked (" + message + ")";
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

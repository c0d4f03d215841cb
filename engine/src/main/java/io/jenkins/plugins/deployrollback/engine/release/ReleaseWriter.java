package io.jenkins.plugins.deployrollback.engine.release;

import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes the content of an artifact source into an empty folder and proves, file by file, that what
 * was written is what the release says it holds. Only entries of the expected
 * {@link ReleaseContent} are written (it was checked for safety when it was read), so an archive
 * that changed between reading and writing cannot slip anything past the checks.
 */
public final class ReleaseWriter {
    private ReleaseWriter() {}

    /**
     * Unpacks or copies {@code source} into {@code folder} (which must exist and be empty), and makes
     * every file and folder durable.
     *
     * @param afterFirstFile called once after the first file is written (a place for crash tests)
     * @throws ChecksumMismatchException when the source does not hold exactly {@code expected}
     */
    public static void write(ArtifactSource source, ReleaseContent expected, Path folder, Runnable afterFirstFile)
            throws IOException {
        stream(source, expected, new FolderSink(folder), afterFirstFile);
        for (String dir : expected.directories()) {
            FileTrees.sync(folder.resolve(dir));
        }
        FileTrees.sync(folder);
    }

    /**
     * Where {@link #stream} puts a release: a folder here, or one on a host far away. Paths are
     * checked release paths, relative to the release folder; folders come first, parents before
     * children.
     */
    public interface ReleaseSink {
        void directory(String path) throws IOException;

        /** A stream for a new file's content; closing it finishes the file (durably, with its mode). */
        OutputStream file(String path, boolean executable) throws IOException;

        void link(String path, String target) throws IOException;

        /** {@code path} holds the same bytes as the file at {@code original}, written before it (a hard link). */
        void copy(String original, String path, Artifact artifact) throws IOException;
    }

    /**
     * Sends the content of {@code source} to {@code sink}, checking every entry against
     * {@code expected} and every file's bytes against its recorded size and SHA-256 as they pass.
     *
     * @throws ChecksumMismatchException when the source does not hold exactly {@code expected}
     */
    public static void stream(ArtifactSource source, ReleaseContent expected, ReleaseSink sink, Runnable afterFirstFile)
            throws IOException {
        Map<String, Artifact> files = new HashMap<>();
        expected.artifacts().forEach(a -> files.put(a.path(), a));
        Map<String, String> links = new HashMap<>();
        expected.links().forEach(l -> links.put(l.path(), l.target()));
        Set<String> written = new HashSet<>();
        // Files only: links and hard links also go into "written", and may come before the first file.
        int[] filesWritten = {0};
        for (String dir : expected.directories()) {
            sink.directory(dir);
        }
        ArtifactEntries.walk(source, new ArtifactEntries.Visitor() {
            @Override
            public void directory(String path) throws IOException {
                String normal = ReleasePath.check(path);
                if (!normal.isEmpty() && !expected.directories().contains(normal)) {
                    throw unexpected(normal);
                }
            }

            @Override
            public void file(String path, boolean executable, InputStream content) throws IOException {
                String normal = ReleasePath.checkEntry(path);
                Artifact artifact = files.get(normal);
                if (artifact == null || !written.add(normal)) {
                    throw unexpected(normal);
                }
                Sha256.Hashed hashed;
                try (OutputStream out = sink.file(normal, artifact.executable())) {
                    hashed = Sha256.of(content, out);
                }
                verify(artifact, hashed);
                if (++filesWritten[0] == 1) {
                    afterFirstFile.run();
                }
            }

            @Override
            public void link(String path, String target) throws IOException {
                String normal = ReleasePath.checkEntry(path);
                if (!target.equals(links.get(normal)) || !written.add(normal)) {
                    throw unexpected(normal);
                }
                sink.link(normal, target);
            }

            @Override
            public void hardLink(String path, String target) throws IOException {
                String normal = ReleasePath.checkEntry(path);
                Artifact artifact = files.get(normal);
                if (artifact == null || !written.add(normal)) {
                    throw unexpected(normal);
                }
                sink.copy(ReleasePath.checkEntry(target), normal, artifact);
            }
        });
        if (written.size() != files.size() + links.size()) {
            throw new ChecksumMismatchException("Artifact " + source + " holds fewer entries than the release records ("
                    + written.size() + " of " + (files.size() + links.size()) + "): it changed after it was read");
        }
    }

    /** Writes into a folder on this machine, each file forced to disk before it counts as written. */
    private record FolderSink(Path folder) implements ReleaseSink {
        @Override
        public void directory(String path) throws IOException {
            Files.createDirectory(folder.resolve(path));
        }

        @Override
        public OutputStream file(String path, boolean executable) throws IOException {
            Path target = folder.resolve(path);
            FileChannel channel = FileChannel.open(
                    target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            return new FilterOutputStream(Channels.newOutputStream(channel)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    try (channel) {
                        // On disk before the release can go live: a power cut must not leave current on a truncated
                        // file.
                        channel.force(true);
                    }
                    setMode(target, executable);
                }
            };
        }

        @Override
        public void link(String path, String target) throws IOException {
            Files.createSymbolicLink(folder.resolve(path), Path.of(target));
        }

        @Override
        public void copy(String original, String path, Artifact artifact) throws IOException {
            Path copy = folder.resolve(path);
            Files.copy(folder.resolve(original), copy, LinkOption.NOFOLLOW_LINKS);
            verify(artifact, new Sha256.Hashed(Files.size(copy), Sha256.of(copy)));
        }
    }

    static void verify(Artifact artifact, Sha256.Hashed hashed) throws ChecksumMismatchException {
        if (hashed.size() != artifact.size() || !hashed.sha256().equals(artifact.sha256())) {
            throw new ChecksumMismatchException("Checksum mismatch for " + Text.quote(artifact.path()) + ": written "
                    + hashed.size() + " bytes with SHA-256 " + hashed.sha256() + ", the release records "
                    + artifact.size()
                    + " bytes with SHA-256 " + artifact.sha256()
                    + ". The artifact changed or was corrupted; nothing was switched.");
        }
    }

    private static ChecksumMismatchException unexpected(String path) {
        return new ChecksumMismatchException(
                "Entry " + Text.quote(path)
                        + " is not part of the release as it was read: the artifact changed after it was read. Nothing was switched.");
    }

    private static void setMode(Path file, boolean executable) throws IOException {
        try {
            Files.setPosixFilePermissions(
                    file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            file.toFile().setExecutable(executable);
        }
    }
}

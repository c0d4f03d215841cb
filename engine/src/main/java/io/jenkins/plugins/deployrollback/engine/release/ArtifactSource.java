package io.jenkins.plugins.deployrollback.engine.release;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/** Where the content of a release comes from: a folder, or a tar.gz or zip archive. */
public sealed interface ArtifactSource permits ArtifactSource.Folder, ArtifactSource.Archive {

    /** The folder or archive file. */
    Path path();

    /** Picks the kind from the file: a folder, {@code .tar.gz}/{@code .tgz}, or {@code .zip}. */
    static ArtifactSource of(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return new Folder(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("Artifact " + Text.quote(path.toString())
                    + " does not exist: give a folder or a .tar.gz, .tgz or .zip archive");
        }
        ArchiveFormat format = ArchiveFormat.fromFileName(path.getFileName().toString());
        ArchiveFormat sniffed = ArchiveFormat.sniff(path);
        if (format == null && sniffed == null) {
            throw new IllegalArgumentException("Artifact " + Text.quote(path.toString())
                    + " is neither a folder nor a .tar.gz, .tgz or .zip archive");
        }
        if (format != null && sniffed != null && format != sniffed) {
            throw new IllegalArgumentException("Artifact " + Text.quote(path.toString()) + " is named like a "
                    + format.label() + " archive but its content is a " + sniffed.label() + " archive: rename it");
        }
        return new Archive(path, format != null ? format : sniffed);
    }

    /** The content is the folder's tree; links inside it must stay inside it. */
    record Folder(Path path) implements ArtifactSource {
        @Override
        public String toString() {
            return path + "/";
        }
    }

    /** The content is the archive's entries, unpacked into the release folder. */
    record Archive(Path path, ArchiveFormat format) implements ArtifactSource {
        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** The archive formats a release can come in. */
    enum ArchiveFormat {
        TAR_GZ("tar.gz"),
        ZIP("zip");

        private final String label;

        ArchiveFormat(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static ArchiveFormat fromFileName(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
                return TAR_GZ;
            }
            if (lower.endsWith(".zip")) {
                return ZIP;
            }
            return null;
        }

        static ArchiveFormat sniff(Path file) throws IOException {
            byte[] head = new byte[4];
            int n;
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, 4);
            }
            if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return TAR_GZ;
            }
            if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return ZIP;
            }
            return null;
        }
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds tar.gz and zip archives entry by entry, names exactly as given (absolute paths, "..",
 * backslashes and all), so that every odd or malicious archive a test needs is spelled out in it.
 */
public final class Archives {
    private Archives() {}

    /** A tar.gz archive to be written to {@code file}. */
    public static TarGz tarGz(Path file) {
        return new TarGz(file);
    }

    /** A zip archive to be written to {@code file}. */
    public static Zip zip(Path file) {
        return new Zip(file);
    }

    /** Entries of a tar.gz archive, in the order they are added. */
    public static final class TarGz {
        private final Path file;
        private final List<TarArchiveEntry> entries = new ArrayList<>();
        private final List<byte[]> contents = new ArrayList<>();

        private TarGz(Path file) {
            this.file = file;
        }

        public TarGz file(String name, String content) {
            return add(name, TarConstants.LF_NORMAL, 0644, null, content);
        }

        public TarGz executable(String name, String content) {
            return add(name, TarConstants.LF_NORMAL, 0755, null, content);
        }

        public TarGz directory(String name) {
            return add(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 0755, null, null);
        }

        public TarGz symlink(String name, String target) {
            return add(name, TarConstants.LF_SYMLINK, 0777, target, null);
        }

        public TarGz hardLink(String name, String target) {
            return add(name, TarConstants.LF_LINK, 0644, target, null);
        }

        public TarGz characterDevice(String name) {
            return add(name, TarConstants.LF_CHR, 0644, null, null);
        }

        public TarGz fifo(String name) {
            return add(name, TarConstants.LF_FIFO, 0644, null, null);
        }

        private TarGz add(String name, byte type, int mode, String linkName, String content) {
            // preserveAbsolutePath: keep a leading '/' so that absolute names reach the reader as written.
            TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
            entry.setMode(mode);
            if (linkName != null) {
                entry.setLinkName(linkName);
            }
            byte[] bytes = content == null ? null : content.getBytes(StandardCharsets.UTF_8);
            if (bytes != null) {
                entry.setSize(bytes.length);
            }
            entries.add(entry);
            contents.add(bytes);
            return this;
        }

        public Path write() throws IOException {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file);
                    GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (int i = 0; i < entries.size(); i++) {
                    tar.putArchiveEntry(entries.get(i));
                    if (contents.get(i) != null) {
                        tar.write(contents.get(i));
                    }
                    tar.closeArchiveEntry();
                }
            }
            return file;
        }
    }

    /** Entries of a zip archive, in the order they are added; every entry carries Unix modes. */
    public static final class Zip {
        private final Path file;
        private final List<ZipArchiveEntry> entries = new ArrayList<>();
        private final List<byte[]> contents = new ArrayList<>();

        private Zip(Path file) {
            this.file = file;
        }

        public Zip file(String name, String content) {
            return add(name, UnixStat.FILE_FLAG | 0644, content);
        }

        public Zip executable(String name, String content) {
            return add(name, UnixStat.FILE_FLAG | 0755, content);
        }

        public Zip directory(String name) {
            return add(name.endsWith("/") ? name : name + "/", UnixStat.DIR_FLAG | 0755, null);
        }

        /** A Unix symbolic link: the link flag in the mode, the target as the entry's content. */
        public Zip symlink(String name, String target) {
            return add(name, UnixStat.LINK_FLAG | 0777, target);
        }

        private Zip add(String name, int mode, String content) {
            ZipArchiveEntry entry = new UnixEntry(name, mode);
            entries.add(entry);
            contents.add(content == null ? null : content.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /**
         * An entry made on Unix, named exactly as given: a new entry is made on FAT (DOS) and turns
         * backslashes into '/' when it is named, so the name is set again once the platform is Unix.
         */
        private static final class UnixEntry extends ZipArchiveEntry {
            UnixEntry(String name, int mode) {
                super(name);
                setUnixMode(mode);
                setName(name);
            }
        }

        public Path write() throws IOException {
            Files.createDirectories(file.getParent());
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
                for (int i = 0; i < entries.size(); i++) {
                    zip.putArchiveEntry(entries.get(i));
                    if (contents.get(i) != null) {
                        zip.write(contents.get(i));
                    }
                    zip.closeArchiveEntry();
                }
            }
            return file;
        }
    }
}

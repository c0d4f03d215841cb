package io.jenkins.plugins.deployrollback.engine.release;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Walks the entries of an artifact source, whatever its kind, in one pass. */
final class ArtifactEntries {
    private ArtifactEntries() {}

    /** What a pass over the entries does with each one. Paths are as stored; the visitor checks them. */
    interface Visitor {
        void directory(String path) throws IOException;

        void file(String path, boolean executable, InputStream content) throws IOException;

        void link(String path, String target) throws IOException;

        /** A tar hard link: the same bytes as the earlier entry {@code target}. */
        void hardLink(String path, String target) throws IOException;
    }

    static void walk(ArtifactSource source, Visitor visitor) throws IOException {
        if (source instanceof ArtifactSource.Folder folder) {
            walkFolder(folder.path(), visitor);
        } else if (source instanceof ArtifactSource.Archive archive) {
            switch (archive.format()) {
                case TAR_GZ -> walkTarGz(archive.path(), visitor);
                case ZIP -> walkZip(archive.path(), visitor);
            }
        }
    }

    private static void walkFolder(Path root, Visitor visitor) throws IOException {
        List<Path> paths = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    paths.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                paths.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        Collections.sort(paths);
        for (Path path : paths) {
            String relative = root.relativize(path).toString().replace(java.io.File.separatorChar, '/');
            BasicFileAttributes attrs =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                visitor.link(relative, Files.readSymbolicLink(path).toString());
            } else if (attrs.isDirectory()) {
                visitor.directory(relative);
            } else if (attrs.isRegularFile()) {
                try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                    visitor.file(relative, isExecutable(path), in);
                }
            } else {
                throw new UnsafeArtifactException("entry " + Text.quote(relative)
                        + " is neither a file, a folder nor a link (a device, socket or pipe)");
            }
        }
    }

    private static boolean isExecutable(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                    .contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }

    private static void walkTarGz(Path file, Visitor visitor) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
                TarArchiveInputStream tar = new TarArchiveInputStream(GzipCompressorInputStream.builder()
                        .setInputStream(raw)
                        .setDecompressConcatenated(true)
                        .get())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                if (entry.isGlobalPaxHeader() || entry.isPaxHeader()) {
                    continue;
                }
                if (entry.isSymbolicLink()) {
                    visitor.link(name, entry.getLinkName());
                } else if (entry.isLink()) {
                    visitor.hardLink(name, entry.getLinkName());
                } else if (entry.isDirectory()) {
                    visitor.directory(name);
                } else if (isRegularFile(entry)) {
                    visitor.file(name, (entry.getMode() & 0100) != 0, tar);
                } else {
                    throw new UnsafeArtifactException("entry " + Text.quote(name)
                            + " is neither a file, a folder nor a link (a device, pipe or sparse file)");
                }
            }
        }
    }

    /**
     * True for plain file entries only. {@link TarArchiveEntry#isFile()} is true for every type that is
     * not a folder (character and block devices, pipes, unknown types), so the types are listed here.
     */
    private static boolean isRegularFile(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM || type == TarConstants.LF_CONTIG)
                && !entry.isSparse();
    }

    private static void walkZip(Path file, Visitor visitor) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isUnixSymlink()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        visitor.link(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                } else if (entry.isDirectory()) {
                    visitor.directory(name);
                } else {
                    try (InputStream in = zip.getInputStream(entry)) {
                        visitor.file(name, (entry.getUnixMode() & 0100) != 0, in);
                    }
                }
            }
        }
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Every path under a folder with what it is (folder, file with its checksum, link with its target),
 * read without following links: two snapshots are equal when nothing under the folder changed.
 */
public final class FileTreeSnapshot {
    private FileTreeSnapshot() {}

    /** One line per path under {@code root}, sorted; empty when {@code root} does not exist. */
    public static List<String> of(Path root) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return lines;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                lines.add("D " + root.relativize(dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    lines.add("L " + root.relativize(file) + " -> " + Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    lines.add("F " + root.relativize(file) + " " + Sha256.of(file));
                } else {
                    lines.add("? " + root.relativize(file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        lines.sort(null);
        return lines;
    }
}

package io.jenkins.plugins.deployrollback.engine.support;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Deleting a tree of files without ever following a link out of it, and making a folder's entries durable. */
public final class FileTrees {
    private FileTrees() {}

    /**
     * Forces a folder's entries (new names, renames, links) to disk. Not every file system can sync a
     * folder; where it cannot, there is nothing more to do, and the renames themselves stay atomic.
     */
    public static void sync(Path folder) {
        try (java.nio.channels.FileChannel channel =
                java.nio.channels.FileChannel.open(folder, java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // see above
        }
    }

    /** The bytes the regular files under {@code path} take; links are not followed. */
    public static long size(Path path) throws IOException {
        long[] total = {0};
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /** Deletes {@code path} and, if it is a folder, everything under it; links are removed, never followed. */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

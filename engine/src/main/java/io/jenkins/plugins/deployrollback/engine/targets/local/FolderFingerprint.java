package io.jenkins.plugins.deployrollback.engine.targets.local;

import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a release folder's entries look like to the file system, without reading a byte of them: for
 * each entry its type, size, modification and change times, inode and path, as one SHA-256. Any
 * change through the file system (an edit, an added or removed file, a chmod, even a modification
 * time set back) moves the change time, which no program can set: a fingerprint that matches the one
 * recorded at staging means the folder still holds what was staged and verified. It costs one
 * {@code stat} per entry, whatever the files' sizes.
 */
final class FolderFingerprint {
    private FolderFingerprint() {}

    static String of(Path folder) throws IOException {
        List<String> lines = new ArrayList<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(folder)) {
                    lines.add(line(folder, dir));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                lines.add(line(folder, file));
                return FileVisitResult.CONTINUE;
            }
        });
        Collections.sort(lines);
        return Sha256.of(String.join("\n", lines) + "\n");
    }

    private static String line(Path folder, Path entry) throws IOException {
        Map<String, Object> attributes =
                Files.readAttributes(entry, "unix:mode,size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
        return attributes.get("mode") + " " + attributes.get("size") + " "
                + nanos(attributes.get("lastModifiedTime")) + " " + nanos(attributes.get("ctime")) + " "
                + attributes.get("ino") + " " + folder.relativize(entry);
    }

    private static long nanos(Object time) {
        FileTime fileTime = (FileTime) time;
        return fileTime.to(TimeUnit.NANOSECONDS);
    }
}

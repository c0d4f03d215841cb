package io.jenkins.plugins.deployrollback.engine.release;

import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps artifacts as copies in a folder, one sub-folder per release: the archive file as it was, or
 * the folder's tree under {@code tree/}. A copy is made under a temporary name and renamed into place,
 * so a kept artifact is whole or absent. Content is verified against the release when it is staged.
 */
public final class FileArtifactStore implements ArtifactStore {
    private static final String TREE = "tree";

    private final Path folder;

    public FileArtifactStore(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    @Override
    public void keep(Release release, ArtifactSource source) throws IOException {
        Path kept = folder.resolve(release.id().value());
        if (Files.isDirectory(kept)) {
            return;
        }
        Files.createDirectories(folder);
        Path temporary = folder.resolve("." + release.id() + "." + UUID.randomUUID());
        Files.createDirectory(temporary);
        try {
            if (source instanceof ArtifactSource.Archive archive) {
                Files.copy(
                        archive.path(),
                        temporary.resolve(archive.path().getFileName()),
                        StandardCopyOption.COPY_ATTRIBUTES);
            } else {
                copyTree(source.path(), temporary.resolve(TREE));
            }
            Files.move(temporary, kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(temporary);
            throw e;
        }
    }

    @Override
    public Optional<ArtifactSource> find(ReleaseId release) throws IOException {
        Path kept = folder.resolve(release.value());
        if (!Files.isDirectory(kept)) {
            return Optional.empty();
        }
        if (Files.isDirectory(kept.resolve(TREE), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new ArtifactSource.Folder(kept.resolve(TREE)));
        }
        try (var files = Files.list(kept)) {
            List<Path> archives = files.filter(Files::isRegularFile).toList();
            return archives.size() == 1 ? Optional.of(ArtifactSource.of(archives.get(0))) : Optional.empty();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(
                        file,
                        to.resolve(from.relativize(file).toString()),
                        LinkOption.NOFOLLOW_LINKS,
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

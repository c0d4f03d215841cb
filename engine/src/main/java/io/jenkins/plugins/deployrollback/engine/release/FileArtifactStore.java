package io.jenkins.plugins.deployrollback.engine.release;

import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps artifacts as copies in a folder, one sub-folder per release: the archive file as it was, or
 * the folder's tree under {@code tree/}. A copy is made under a temporary name and renamed into place,
 * so a kept artifact is whole or absent. Content is verified against the release when it is staged.
 *
 * <p>Several operations (processes) may share the folder. Each holds a {@link #use()} while it runs;
 * {@link #prune} removes copies only when no other operation holds one, so a copy is never removed
 * while an operation is keeping or staging it. A use is an OS file lock, so a process that dies
 * releases it.
 */
public final class FileArtifactStore implements ArtifactStore {
    private static final String TREE = "tree";
    private static final String IN_USE = ".in-use";
    private static final String LOCK = ".lock";
    /** File locks are per process; these order the threads of one process that share a folder. */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

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

    /** Marks this folder in use by one operation until the returned use is closed. */
    public Use use() throws IOException {
        Path marker;
        FileChannel channel;
        try (Guard guard = guard()) {
            Files.createDirectories(folder.resolve(IN_USE));
            marker = folder.resolve(IN_USE).resolve(UUID.randomUUID().toString());
            channel = FileChannel.open(marker, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                channel.lock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(marker);
                throw e;
            }
        }
        return new Use(marker, channel);
    }

    /**
     * Removes the copies of releases {@code needed} does not name, unless another operation uses the
     * folder (then it prunes when it ends). {@code needed} is asked only once no other operation can
     * start keeping or staging, so it sees every record written before.
     */
    public Pruned prune(Needed needed) throws IOException {
        if (!Files.isDirectory(folder)) {
            return new Pruned(List.of(), 0, false);
        }
        try (Guard guard = guard()) {
            if (inUseByAnother()) {
                return new Pruned(List.of(), 0, true);
            }
            Set<ReleaseId> keep = needed.releases();
            List<ReleaseId> removed = new ArrayList<>();
            long freed = 0;
            try (var entries = Files.list(folder)) {
                for (Path entry : entries.sorted().toList()) {
                    String name = entry.getFileName().toString();
                    if (name.equals(IN_USE) || name.equals(LOCK)) {
                        continue;
                    }
                    boolean leftOver = name.startsWith("."); // a copy a crashed operation never renamed into place
                    if (!leftOver && !ReleaseId.isValid(name)) {
                        continue; // not a copy this store made
                    }
                    if (leftOver || !keep.contains(ReleaseId.of(name))) {
                        freed += FileTrees.size(entry);
                        FileTrees.delete(entry);
                        if (!leftOver) {
                            removed.add(ReleaseId.of(name));
                        }
                    }
                }
            }
            return new Pruned(removed, freed, false);
        }
    }

    /** True when a live operation holds a use; markers of dead ones are removed. */
    private boolean inUseByAnother() throws IOException {
        Path markers = folder.resolve(IN_USE);
        if (!Files.isDirectory(markers)) {
            return false;
        }
        boolean inUse = false;
        try (var all = Files.list(markers)) {
            for (Path marker : all.toList()) {
                try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.tryLock();
                    if (lock == null) {
                        inUse = true;
                    } else {
                        lock.release();
                        Files.deleteIfExists(marker);
                    }
                } catch (OverlappingFileLockException e) {
                    inUse = true; // held by a thread of this process
                } catch (NoSuchFileException e) {
                    // its operation just ended
                }
            }
        }
        return inUse;
    }

    /** Holds this folder's lock file, so a prune and the start of a use never interleave. */
    private Guard guard() throws IOException {
        Files.createDirectories(folder);
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(folder, f -> new ReentrantLock());
        inProcess.lock();
        try {
            FileChannel channel =
                    FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                channel.lock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return new Guard(inProcess, channel);
        } catch (IOException | RuntimeException e) {
            inProcess.unlock();
            throw e;
        }
    }

    private record Guard(ReentrantLock inProcess, FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                inProcess.unlock();
            }
        }
    }

    /** One operation's hold on the folder; closing it lets a prune remove copies again. */
    public static final class Use implements AutoCloseable {
        private final Path marker;
        private final FileChannel channel;

        private Use(Path marker, FileChannel channel) {
            this.marker = marker;
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            try {
                Files.deleteIfExists(marker);
            } finally {
                channel.close();
            }
        }
    }

    /** The releases whose copies must stay, worked out while the folder is guarded. */
    @FunctionalInterface
    public interface Needed {
        Set<ReleaseId> releases() throws IOException;
    }

    /**
     * What a prune did.
     *
     * @param removed the releases whose copies were removed
     * @param freed the bytes they (and any half-made copy) took
     * @param deferred true when another operation used the folder, so nothing was removed
     */
    public record Pruned(List<ReleaseId> removed, long freed, boolean deferred) {
        public Pruned {
            removed = List.copyOf(removed);
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

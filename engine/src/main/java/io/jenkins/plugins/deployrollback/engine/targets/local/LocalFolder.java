package io.jenkins.plugins.deployrollback.engine.targets.local;

import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import io.jenkins.plugins.deployrollback.engine.support.JsonLines;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.TargetConflictException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The folder of a {@link LocalTarget} on disk: where each part of {@link TargetLayout} lies, and the
 * file operations a session builds its promises on. A file is replaced in one rename once it is on
 * disk, a link is swapped in one rename, a release folder moves into {@code releases/} whole and out
 * of it in one rename before it is deleted.
 */
final class LocalFolder {
    private final String target;
    private final Path root;

    /**
     * @param target the target's name, for messages
     * @param root the folder holding {@code releases/}, {@code current} and the rest
     */
    LocalFolder(String target, Path root) {
        this.target = target;
        this.root = root;
    }

    String target() {
        return target;
    }

    Path root() {
        return root;
    }

    Path path(String layoutName) {
        return root.resolve(layoutName);
    }

    Path releaseFolder(ReleaseId id) {
        return path(TargetLayout.RELEASES).resolve(id.value());
    }

    private Path manifestFile(ReleaseId id) {
        return path(TargetLayout.MANIFESTS).resolve(id.value());
    }

    private Path fingerprintFile(ReleaseId id) {
        return path(TargetLayout.FINGERPRINTS).resolve(id.value());
    }

    void ensureLayout() throws IOException {
        for (String folder : List.of(
                TargetLayout.RELEASES,
                TargetLayout.SHARED,
                TargetLayout.MANIFESTS,
                TargetLayout.FAILED,
                TargetLayout.STAGING)) {
            Files.createDirectories(path(folder));
        }
    }

    /** The manifest recorded when {@code id} was staged, or null when it was not staged by Deploy Rollback. */
    String readManifest(ReleaseId id) throws IOException {
        try {
            return Files.readString(manifestFile(id), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    // ---- fingerprints --------------------------------------------------------------------------

    /**
     * True when the release folder's fingerprint is the one recorded when it was staged or last stopped
     * serving. A folder staged before fingerprints were recorded gets its fingerprint now.
     */
    boolean unchangedSinceStaged(ReleaseId id) throws IOException {
        if (recordedFingerprint(id) == null) {
            recordFingerprint(id);
            return true;
        }
        return matchesRecordedFingerprint(id);
    }

    /** True when the folder of {@code id} has its recorded fingerprint, or none is recorded. Writes nothing. */
    boolean matchesRecordedFingerprint(ReleaseId id) throws IOException {
        String recorded = recordedFingerprint(id);
        return recorded == null || recorded.equals(FolderFingerprint.of(releaseFolder(id)));
    }

    private String recordedFingerprint(ReleaseId id) throws IOException {
        try {
            return Files.readString(fingerprintFile(id), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Records the fingerprint of the folder of {@code id} as it is now. */
    void recordFingerprint(ReleaseId id) throws IOException {
        writeAtomically(
                fingerprintFile(id), FolderFingerprint.of(releaseFolder(id)).getBytes(StandardCharsets.UTF_8));
    }

    // ---- staging -------------------------------------------------------------------------------

    /**
     * Links each of {@code shared} in the release being staged in {@code staging} to its place under
     * {@code shared/}; release content at a shared path is replaced by the link, with a warning.
     */
    void linkShared(Path staging, List<SharedPath> shared, ProgressListener progress) throws IOException {
        for (SharedPath entry : shared) {
            Path inShared = path(TargetLayout.SHARED).resolve(entry.path());
            if (entry.folder()) {
                Files.createDirectories(inShared);
            } else if (!Files.exists(inShared)) {
                throw new TargetConflictException(
                        "Shared file shared/" + entry.path() + " does not exist on " + target + " (" + inShared
                                + "). Create it there first: shared files survive releases and are not part of any artifact.");
            }
            String[] segments = entry.path().split("/");
            Path parent = staging;
            for (int i = 0; i < segments.length - 1; i++) {
                parent = parent.resolve(segments[i]);
                if (Files.isSymbolicLink(parent)) {
                    throw new TargetConflictException("Shared path " + entry + " lies beneath the link "
                            + staging.relativize(parent) + " of the release; link a path that is not under a link");
                }
            }
            Files.createDirectories(parent);
            Path link = staging.resolve(entry.path());
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                progress.warn(
                        "Release content at " + entry.path() + " is replaced by the link to shared/" + entry.path());
                FileTrees.delete(link);
            }
            // releases/<id>/a/b -> ../../../shared/a/b: relative, so the root can move or be mounted elsewhere
            String up = "../".repeat(2 + segments.length - 1);
            Files.createSymbolicLink(link, Path.of(up + TargetLayout.SHARED + "/" + entry.path()));
        }
    }

    /**
     * Makes the release staged in {@code staging} durable with its {@code manifest}, moves it to
     * {@code releases/<id>} in one rename and records its fingerprint.
     */
    void moveIntoPlace(ReleaseId id, Path staging, String manifest) throws IOException {
        Path folder = releaseFolder(id);
        FileTrees.sync(staging);
        writeAtomically(manifestFile(id), manifest.getBytes(StandardCharsets.UTF_8));
        Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.sync(folder.getParent());
        recordFingerprint(id);
    }

    // ---- links, moves, removal -----------------------------------------------------------------

    /**
     * Points {@code link} to {@code pointingTo}: a new link is made beside it under a temporary name
     * starting with {@code temporaryPrefix}, then renamed over it, which replaces the old link in one
     * step. {@code beforeRename} runs between the two.
     */
    void replaceLink(Path link, String temporaryPrefix, String pointingTo, Runnable beforeRename) throws IOException {
        Path temporary = link.resolveSibling(temporaryPrefix + UUID.randomUUID());
        Files.createSymbolicLink(temporary, Path.of(pointingTo));
        beforeRename.run();
        Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.sync(link.getParent());
    }

    /** Moves the folder of {@code release} to {@code to} in one rename and forgets its manifest and fingerprint. */
    void moveRelease(ReleaseId release, Path to) throws IOException {
        Files.move(releaseFolder(release), to, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(manifestFile(release));
        Files.deleteIfExists(fingerprintFile(release));
    }

    /** Deletes all but the newest {@code keep} archived failed releases (their names start with a time stamp). */
    void pruneArchives(int keep) throws IOException {
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(path(TargetLayout.FAILED))) {
            all.forEach(archives::add);
        }
        archives.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        for (int i = 0; i < archives.size() - keep; i++) {
            FileTrees.delete(archives.get(i));
        }
    }

    /** Removes what interrupted operations left: half-unpacked releases and temporary links. Runs under the lock. */
    void cleanLeftovers(ProgressListener progress) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(path(TargetLayout.STAGING))) {
            for (Path leftover : leftovers) {
                progress.info("Removing " + root.relativize(leftover) + " on " + target
                        + ", left by an interrupted operation");
                FileTrees.delete(leftover);
            }
        }
        try (DirectoryStream<Path> links = Files.newDirectoryStream(root, ".current-*")) {
            for (Path link : links) {
                Files.deleteIfExists(link);
            }
        }
        Path slots = path(TargetLayout.SLOTS);
        if (Files.isDirectory(slots, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> links = Files.newDirectoryStream(slots, ".*-*")) {
                for (Path link : links) {
                    Files.deleteIfExists(link);
                }
            }
        }
    }

    // ---- files ---------------------------------------------------------------------------------

    /** Appends {@code entry} to the target's ledger; when this returns, it is on disk. */
    void appendLedger(LedgerEntry entry) throws IOException {
        JsonLines.append(path(TargetLayout.LEDGER), entry);
    }

    /** Replaces {@code file} with {@code content} in one rename, once the content is on disk. */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID());
        try (FileChannel channel =
                FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(content));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }
}

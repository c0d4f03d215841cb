package io.jenkins.plugins.deployrollback.engine.targets.local;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.support.JsonLines;
import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerSummary;
import io.jenkins.plugins.deployrollback.engine.targets.ReleaseIntegrity;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a local target's state and changes nothing: its releases and their manifests, {@code current},
 * the blue/green slots, the lock and the ledger. What does not fit the layout is reported as a problem
 * of the state, not thrown, so that a damaged target can still be looked at.
 */
final class LocalInspection {
    private final LocalFolder folder;

    LocalInspection(LocalFolder folder) {
        this.folder = folder;
    }

    TargetState state() throws IOException {
        List<String> problems = new ArrayList<>();
        ReleaseId current = current(problems);
        Map<ReleaseId, Path> folders = new java.util.LinkedHashMap<>();
        Path releasesFolder = folder.path(TargetLayout.RELEASES);
        if (Files.isDirectory(releasesFolder)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(releasesFolder)) {
                for (Path release : entries) {
                    ReleaseId id;
                    try {
                        id = ReleaseId.of(release.getFileName().toString());
                    } catch (IllegalArgumentException e) {
                        problems.add("releases/" + release.getFileName()
                                + " is not a release folder (its name is not a release id)");
                        continue;
                    }
                    if (!Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)) {
                        problems.add("releases/" + id + " is not a folder");
                        continue;
                    }
                    folders.put(id, release);
                }
            }
        }
        Path ledgerFile = folder.path(TargetLayout.LEDGER);
        List<LedgerEntry> ledger =
                LedgerSummary.of(JsonLines.readAll(ledgerFile), folders.keySet(), ledgerFile.toString(), problems);
        Map<ReleaseId, Instant> lastUsed = LedgerSummary.lastUses(ledger);
        LedgerEntry lastSwitch = LedgerSummary.lastSwitch(ledger);
        List<StagedRelease> releases = new ArrayList<>();
        for (Map.Entry<ReleaseId, Path> release : folders.entrySet()) {
            ReleaseId id = release.getKey();
            String manifest = folder.readManifest(id);
            Instant used = lastUsed.getOrDefault(
                    id,
                    Files.getLastModifiedTime(release.getValue(), LinkOption.NOFOLLOW_LINKS)
                            .toInstant());
            releases.add(new StagedRelease(id, manifest == null ? null : Sha256.of(manifest), used));
        }
        releases.sort(java.util.Comparator.comparing(StagedRelease::lastUsed));
        String readOnly = readOnly();
        if (readOnly != null) {
            problems.add(readOnly);
        }
        return new TargetState(
                folder.target(), current, releases, LocalLock.read(folder), problems, slots(problems), lastSwitch);
    }

    /** Why nothing can be written under the root (a disk remounted read-only), or null when it can be. */
    private String readOnly() {
        Path root = folder.root();
        if (!Files.isDirectory(root) || Files.isWritable(root)) {
            return null;
        }
        return TargetLayout.notWritable(root.toString());
    }

    private Map<String, ReleaseId> slots(List<String> problems) throws IOException {
        Map<String, ReleaseId> slots = new HashMap<>();
        for (String slot : Strategy.BlueGreen.SLOTS) {
            Path link = folder.path(TargetLayout.slot(slot));
            if (!Files.isSymbolicLink(link)) {
                continue;
            }
            String text = Files.readSymbolicLink(link).toString();
            ReleaseId release = TargetLayout.releaseOfLink(text);
            if (release == null) {
                problems.add("slots/" + slot + " points to " + text + ", which is not a release folder of this target");
            } else {
                slots.put(slot, release);
            }
        }
        return slots;
    }

    /** The release {@code current} points to, or null when there is none; what is wrong with it goes to {@code problems}. */
    ReleaseId current(List<String> problems) throws IOException {
        Path link = folder.path(TargetLayout.CURRENT);
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isSymbolicLink(link)) {
            problems.add(TargetLayout.CURRENT_NOT_A_LINK);
            return null;
        }
        String text = Files.readSymbolicLink(link).toString();
        ReleaseId id = TargetLayout.releaseOfLink(text);
        if (id == null) {
            problems.add("current points to " + text + ", which is not a release folder of this target");
            return null;
        }
        if (!Files.isDirectory(folder.releaseFolder(id))) {
            problems.add("current points to releases/" + id + ", which is missing");
        }
        return id;
    }

    /** The live release, or null when there is none. */
    ReleaseId current() throws IOException {
        return current(new ArrayList<>());
    }

    List<LedgerEntry> ledger() throws IOException {
        return JsonLines.read(folder.path(TargetLayout.LEDGER), LedgerEntry.class, new ArrayList<>());
    }

    /**
     * Checks every file the manifest of {@code release} lists against its SHA-256, and the folder's
     * fingerprint against the one recorded unless the release is live.
     */
    ReleaseIntegrity integrity(ReleaseId release) throws IOException {
        Path releaseFolder = folder.releaseFolder(release);
        String manifest = folder.readManifest(release);
        String name = folder.target();
        if (!Files.isDirectory(releaseFolder, LinkOption.NOFOLLOW_LINKS)) {
            return new ReleaseIntegrity(name, release, List.of(), true, "releases/" + release + " is not present");
        }
        if (manifest == null) {
            return new ReleaseIntegrity(
                    name, release, List.of(), true, "it has no manifest: it was not staged by Deploy Rollback");
        }
        List<String> differing = new ArrayList<>();
        for (String line : manifest.split("\n")) {
            String[] fields = line.split("\t", 5);
            if (fields.length == 5 && fields[0].equals("F")) {
                Path file = releaseFolder.resolve(fields[4]);
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        || !Sha256.of(file).equals(fields[1])) {
                    differing.add(fields[4]);
                }
            }
        }
        // The live release changes as it serves (what its hooks and the application write): only its files are checked.
        boolean live = release.equals(current());
        boolean fingerprintMatches = live || folder.matchesRecordedFingerprint(release);
        return new ReleaseIntegrity(name, release, differing, fingerprintMatches, null);
    }
}

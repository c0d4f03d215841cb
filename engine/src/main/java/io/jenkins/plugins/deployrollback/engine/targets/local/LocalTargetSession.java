package io.jenkins.plugins.deployrollback.engine.targets.local;

import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseWriter;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.support.CrashPoint;
import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.JsonLines;
import io.jenkins.plugins.deployrollback.engine.support.Machine;
import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.support.ShellCommand;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerSummary;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.ReleaseIntegrity;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.StaleLocks;
import io.jenkins.plugins.deployrollback.engine.targets.TargetConflictException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** One operation's work on a {@link LocalTarget}. */
final class LocalTargetSession implements TargetSession {
    /** Crash point: the first file of a release is written, the rest is not. */
    static final String CRASH_MID_STAGE = "mid-stage";
    /** Crash point: the new link exists under a temporary name, {@code current} is not yet replaced. */
    static final String CRASH_MID_SWITCH = "mid-switch";

    private static final DateTimeFormatter ARCHIVE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String name;
    private final Path root;
    private final OperationContext context;
    private LocalTargetLock held;

    LocalTargetSession(String name, Path root, OperationContext context) {
        this.name = name;
        this.root = root;
        this.context = context;
    }

    @Override
    public String target() {
        return name;
    }

    private Path path(String layoutName) {
        return root.resolve(layoutName);
    }

    private Path releaseFolder(ReleaseId id) {
        return path(TargetLayout.RELEASES).resolve(id.value());
    }

    private Path manifestFile(ReleaseId id) {
        return path(TargetLayout.MANIFESTS).resolve(id.value());
    }

    private Path fingerprintFile(ReleaseId id) {
        return path(TargetLayout.FINGERPRINTS).resolve(id.value());
    }

    /**
     * True when the release folder's fingerprint is the one recorded when it was staged or last stopped
     * serving. A folder staged before fingerprints were recorded gets its fingerprint now.
     */
    private boolean unchangedSinceStaged(ReleaseId id) throws IOException {
        if (recordedFingerprint(id) == null) {
            recordFingerprint(id);
            return true;
        }
        return matchesRecordedFingerprint(id);
    }

    /** True when the folder of {@code id} has its recorded fingerprint, or none is recorded. Writes nothing. */
    private boolean matchesRecordedFingerprint(ReleaseId id) throws IOException {
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
    private void recordFingerprint(ReleaseId id) throws IOException {
        writeAtomically(
                fingerprintFile(id), FolderFingerprint.of(releaseFolder(id)).getBytes(StandardCharsets.UTF_8));
    }

    private void ensureLayout() throws IOException {
        for (String folder : List.of(
                TargetLayout.RELEASES,
                TargetLayout.SHARED,
                TargetLayout.MANIFESTS,
                TargetLayout.FAILED,
                TargetLayout.STAGING)) {
            Files.createDirectories(path(folder));
        }
    }

    // ---- reading -------------------------------------------------------------------------------

    @Override
    public TargetState inspect() throws IOException {
        List<String> problems = new ArrayList<>();
        ReleaseId current = readCurrent(problems);
        Map<ReleaseId, Path> folders = new java.util.LinkedHashMap<>();
        Path releasesFolder = path(TargetLayout.RELEASES);
        if (Files.isDirectory(releasesFolder)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(releasesFolder)) {
                for (Path folder : entries) {
                    ReleaseId id;
                    try {
                        id = ReleaseId.of(folder.getFileName().toString());
                    } catch (IllegalArgumentException e) {
                        problems.add("releases/" + folder.getFileName()
                                + " is not a release folder (its name is not a release id)");
                        continue;
                    }
                    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                        problems.add("releases/" + id + " is not a folder");
                        continue;
                    }
                    folders.put(id, folder);
                }
            }
        }
        Path ledgerFile = path(TargetLayout.LEDGER);
        List<LedgerEntry> ledger =
                LedgerSummary.of(JsonLines.readAll(ledgerFile), folders.keySet(), ledgerFile.toString(), problems);
        Map<ReleaseId, Instant> lastUsed = LedgerSummary.lastUses(ledger);
        LedgerEntry lastSwitch = LedgerSummary.lastSwitch(ledger);
        List<StagedRelease> releases = new ArrayList<>();
        for (Map.Entry<ReleaseId, Path> folder : folders.entrySet()) {
            ReleaseId id = folder.getKey();
            String manifest = readManifest(id);
            Instant used = lastUsed.getOrDefault(
                    id,
                    Files.getLastModifiedTime(folder.getValue(), LinkOption.NOFOLLOW_LINKS)
                            .toInstant());
            releases.add(new StagedRelease(id, manifest == null ? null : Sha256.of(manifest), used));
        }
        releases.sort(java.util.Comparator.comparing(StagedRelease::lastUsed));
        String readOnly = readOnly();
        if (readOnly != null) {
            problems.add(readOnly);
        }
        return new TargetState(name, current, releases, readLock(), problems, readSlots(problems), lastSwitch);
    }

    /** Why nothing can be written under the root (a disk remounted read-only), or null when it can be. */
    private String readOnly() {
        if (!Files.isDirectory(root) || Files.isWritable(root)) {
            return null;
        }
        return TargetLayout.notWritable(root.toString());
    }

    private Map<String, ReleaseId> readSlots(List<String> problems) throws IOException {
        Map<String, ReleaseId> slots = new HashMap<>();
        for (String slot : Strategy.BlueGreen.SLOTS) {
            Path link = path(TargetLayout.slot(slot));
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

    private ReleaseId readCurrent(List<String> problems) throws IOException {
        Path link = path(TargetLayout.CURRENT);
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
        if (!Files.isDirectory(releaseFolder(id))) {
            problems.add("current points to releases/" + id + ", which is missing");
        }
        return id;
    }

    private String readManifest(ReleaseId id) throws IOException {
        try {
            return Files.readString(manifestFile(id), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public List<LedgerEntry> ledger() throws IOException {
        return JsonLines.read(path(TargetLayout.LEDGER), LedgerEntry.class, new ArrayList<>());
    }

    // ---- lock ----------------------------------------------------------------------------------

    private LockInfo readLock() throws IOException {
        try {
            return Json.mapper().readValue(Files.readAllBytes(path(TargetLayout.LOCK)), LockInfo.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Lock files are written whole by a rename; an unreadable one was not written by us.
            throw new IOException(
                    path(TargetLayout.LOCK) + " is unreadable (" + e.getOriginalMessage()
                            + "): if no operation is running on " + name + ", remove it",
                    e);
        }
    }

    private void writeLock(LockInfo info) throws IOException {
        writeAtomically(path(TargetLayout.LOCK), Json.mapper().writeValueAsBytes(info));
    }

    /** Why {@code holder}'s lock may be taken over, or null when it may not. */
    private String staleReason(LockInfo holder, Instant now) {
        return hookStillRuns(holder) ? null : StaleLocks.reason(holder, now);
    }

    /** True when the holder's hook runs on this machine still (its holder may be gone: killed mid-hook). */
    private static boolean hookStillRuns(LockInfo holder) {
        return holder.hook() != null
                && holder.host().equals(Machine.hostName())
                && Machine.mayBeAlive(holder.hook().pid(), holder.hook().processStart());
    }

    @Override
    public TargetLock lock(String purpose, Duration ttl, String forcedBy) throws IOException {
        ensureLayout();
        Instant now = context.clock().instant();
        LockInfo mine = new LockInfo(
                context.actor(),
                Machine.hostName(),
                Machine.pid(),
                Machine.processStart(),
                purpose,
                UUID.randomUUID().toString(),
                now,
                now.plus(ttl),
                null);
        JsonLines.withExclusiveLock(path(TargetLayout.LOCK_GUARD), guard -> {
            LockInfo holder = readLock();
            if (holder != null) {
                String stale = staleReason(holder, now);
                if (stale == null && forcedBy != null) {
                    stale = "forced: " + forcedBy;
                }
                if (stale == null) {
                    throw new TargetLockedException(
                            name,
                            holder,
                            path(TargetLayout.LOCK).toString(),
                            hookStillRuns(holder) && StaleLocks.holderGone(holder));
                }
                context.progress()
                        .warn("Took over the lock of " + name + " held by " + holder.describe() + ": " + stale);
                appendLedger(LedgerEntry.LOCK_TAKEOVER, null, null, "from " + holder.describe() + ": " + stale);
            }
            writeLock(mine);
        });
        cleanLeftovers();
        held = new LocalTargetLock(mine, ttl);
        return held;
    }

    /** Removes what interrupted operations left: half-unpacked releases and temporary links. Runs under the lock. */
    private void cleanLeftovers() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(path(TargetLayout.STAGING))) {
            for (Path leftover : leftovers) {
                context.progress()
                        .info("Removing " + root.relativize(leftover) + " on " + name
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

    /**
     * The lock this session holds. Renewed from a heartbeat thread and updated around hooks, so every
     * change to it is synchronized and checks first that the lock on disk is still this one.
     */
    private final class LocalTargetLock implements TargetLock {
        private LockInfo info;
        /** Set once another operation is seen holding the lock; a running hook is then stopped. */
        volatile boolean lost;

        private final Duration ttl;

        LocalTargetLock(LockInfo info, Duration ttl) {
            this.info = info;
            this.ttl = ttl;
            StaleLocks.holding(info.token());
        }

        @Override
        public synchronized LockInfo info() {
            return info;
        }

        @Override
        public synchronized void refresh() throws IOException {
            update(info.expiringAt(context.clock().instant().plus(ttl)));
        }

        synchronized void hookRunning(LockInfo.RunningHook hook) throws IOException {
            update(info.running(hook).expiringAt(context.clock().instant().plus(ttl)));
        }

        private void update(LockInfo next) throws IOException {
            JsonLines.withExclusiveLock(path(TargetLayout.LOCK_GUARD), guard -> {
                LockInfo onDisk = readLock();
                if (onDisk == null || !onDisk.token().equals(info.token())) {
                    lost = true;
                    throw new LockLostException("The lock of " + name + " was "
                            + (onDisk == null ? "removed" : "taken over by " + onDisk.describe())
                            + " while this " + context.operation().label() + " held it.");
                }
                writeLock(next);
                info = next;
            });
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                JsonLines.withExclusiveLock(path(TargetLayout.LOCK_GUARD), guard -> {
                    LockInfo onDisk = readLock();
                    if (onDisk != null && onDisk.token().equals(info.token())) {
                        Files.delete(path(TargetLayout.LOCK));
                    }
                });
            } finally {
                StaleLocks.released(info.token());
            }
        }
    }

    // ---- stage ---------------------------------------------------------------------------------

    @Override
    public boolean stage(Release release, ArtifactSupplier source, List<SharedPath> shared) throws IOException {
        ensureLayout();
        Path folder = releaseFolder(release.id());
        String manifest = release.content().manifest();
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            String existing = readManifest(release.id());
            if (manifest.equals(existing) && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                if (unchangedSinceStaged(release.id())) {
                    return false;
                }
                context.progress()
                        .warn(name + ": releases/" + release.id() + " was changed on this target after it was staged;"
                                + " it is moved to " + TargetLayout.FAILED + "/ and staged again from its artifacts");
                // Fetched first: without kept artifacts the change is refused before the folder moves.
                ArtifactSource artifacts = source.get();
                archiveFailed(release.id(), Integer.MAX_VALUE);
                return stage(release, () -> artifacts, shared);
            }
            throw new TargetConflictException("Target " + name + " already has releases/" + release.id() + " with "
                    + (existing == null ? "content not staged by Deploy Rollback" : "other content")
                    + ". Nothing was changed. "
                    + "Release ids are immutable: deploy under a new release id, or remove " + folder
                    + " if it is not in use.");
        }
        Path staging = path(TargetLayout.STAGING).resolve(release.id() + "." + UUID.randomUUID());
        Files.createDirectory(staging);
        try {
            ReleaseWriter.write(source.get(), release.content(), staging, () -> CrashPoint.reach(CRASH_MID_STAGE));
            linkShared(staging, shared);
            FileTrees.sync(staging);
            writeAtomically(manifestFile(release.id()), manifest.getBytes(StandardCharsets.UTF_8));
            Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.sync(folder.getParent());
            recordFingerprint(release.id());
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(staging);
            throw e;
        }
        appendLedger(LedgerEntry.STAGE, null, release.id(), release.content().summary());
        return true;
    }

    private void linkShared(Path staging, List<SharedPath> shared) throws IOException {
        for (SharedPath entry : shared) {
            Path inShared = path(TargetLayout.SHARED).resolve(entry.path());
            if (entry.folder()) {
                Files.createDirectories(inShared);
            } else if (!Files.exists(inShared)) {
                throw new TargetConflictException(
                        "Shared file shared/" + entry.path() + " does not exist on " + name + " (" + inShared
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
                context.progress()
                        .warn("Release content at " + entry.path() + " is replaced by the link to shared/"
                                + entry.path());
                FileTrees.delete(link);
            }
            // releases/<id>/a/b -> ../../../shared/a/b: relative, so the root can move or be mounted elsewhere
            String up = "../".repeat(2 + segments.length - 1);
            Files.createSymbolicLink(link, Path.of(up + TargetLayout.SHARED + "/" + entry.path()));
        }
    }

    // ---- switch --------------------------------------------------------------------------------

    @Override
    public void switchTo(ReleaseId release) throws IOException {
        if (!Files.isDirectory(releaseFolder(release), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Release " + release + " is not present on " + name + " (no releases/" + release
                    + "): it has to be staged before it can go live");
        }
        Path current = path(TargetLayout.CURRENT);
        if (Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(current)) {
            throw new TargetConflictException(
                    current + " is not a link: move it away so that it can be switched atomically");
        }
        ReleaseId before = readCurrent(new ArrayList<>());
        Path temporary = root.resolve(".current-" + UUID.randomUUID());
        Files.createSymbolicLink(temporary, Path.of(TargetLayout.linkTo(release)));
        CrashPoint.reach(CRASH_MID_SWITCH);
        // rename(2) replaces the old link in one step: there is no moment without a current.
        Files.move(temporary, current, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.sync(root);
        String now = Files.readSymbolicLink(current).toString();
        if (!now.equals(TargetLayout.linkTo(release))) {
            throw new IOException("After switching " + name + " to " + release + ", current points to " + now
                    + ": another process changed it at the same moment");
        }
        appendLedger(LedgerEntry.SWITCH, before, release, null);
        // The release that stopped serving, as it is now: what a later switch back to it must find.
        if (before != null
                && !before.equals(release)
                && Files.isDirectory(releaseFolder(before), LinkOption.NOFOLLOW_LINKS)) {
            recordFingerprint(before);
        }
    }

    @Override
    public void pointSlot(String slot, ReleaseId release) throws IOException {
        if (!Strategy.BlueGreen.SLOTS.contains(slot)) {
            throw new IllegalArgumentException("no slot " + slot + ": slots are " + Strategy.BlueGreen.SLOTS);
        }
        if (!Files.isDirectory(releaseFolder(release), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Release " + release + " is not present on " + name + " (no releases/" + release
                    + "): it has to be staged before a slot can hold it");
        }
        Path slots = Files.createDirectories(path(TargetLayout.SLOTS));
        Path link = path(TargetLayout.slot(slot));
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
            throw new TargetConflictException(
                    link + " is not a link: move it away so that it can be pointed atomically");
        }
        ReleaseId before = Files.isSymbolicLink(link)
                ? TargetLayout.releaseOfLink(Files.readSymbolicLink(link).toString())
                : null;
        Path temporary = slots.resolve("." + slot + "-" + UUID.randomUUID());
        Files.createSymbolicLink(temporary, Path.of(TargetLayout.slotLinkTo(release)));
        Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.sync(slots);
        appendLedger(LedgerEntry.SLOT, before, release, slot);
    }

    // ---- hooks ---------------------------------------------------------------------------------

    @Override
    public HookRun runHook(
            Hook hook, HookMode mode, ReleaseId release, Map<String, String> variables, Consumer<String> output)
            throws IOException {
        Map<String, String> environment = new HashMap<>(variables);
        environment.put("DEPLOY_ROOT", root.toString());
        environment.put("DEPLOY_RELEASE_PATH", releaseFolder(release).toString());
        environment.put("DEPLOY_TARGET", name);
        ShellCommand.Result result;
        try {
            result = ShellCommand.run(
                    hook.command(),
                    releaseFolder(release).toFile(),
                    environment,
                    context.secrets(),
                    hook.timeout(),
                    output,
                    started ->
                            hookRunning(new LockInfo.RunningHook(hook.name(), started.pid(), started.processStart())),
                    () -> held != null && held.lost);
        } finally {
            if (held == null || !held.lost) {
                hookRunning(null);
            }
        }
        if (result.abandoned()) {
            throw new LockLostException("The lock of " + name + " was taken over while hook " + hook.name()
                    + " ran; the hook and everything it started were stopped.");
        }
        return new HookRun(
                hook.name(),
                name,
                hook.phase(),
                mode,
                result.exitStatus(),
                result.timedOut(),
                result.duration(),
                result.lastOutput());
    }

    /**
     * Notes the running hook in the lock (or clears it), so that if this process dies mid-hook the
     * lock is not taken over while the orphaned hook still runs: a migration never runs twice at once.
     */
    private void hookRunning(LockInfo.RunningHook hook) throws IOException {
        if (held != null) {
            held.hookRunning(hook);
        }
    }

    // ---- integrity -----------------------------------------------------------------------------

    @Override
    public ReleaseIntegrity verifyRelease(ReleaseId release) throws IOException {
        Path folder = releaseFolder(release);
        String manifest = readManifest(release);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
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
                Path file = folder.resolve(fields[4]);
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        || !Sha256.of(file).equals(fields[1])) {
                    differing.add(fields[4]);
                }
            }
        }
        // The live release changes as it serves (what its hooks and the application write): only its files are checked.
        boolean live = release.equals(readCurrent(new ArrayList<>()));
        boolean fingerprintMatches = live || matchesRecordedFingerprint(release);
        return new ReleaseIntegrity(name, release, differing, fingerprintMatches, null);
    }

    // ---- archive and removal -------------------------------------------------------------------

    @Override
    public void archiveFailed(ReleaseId release, int keepFailed) throws IOException {
        refuseIfLive(release, "archive");
        Path folder = releaseFolder(release);
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path archived = path(TargetLayout.FAILED)
                .resolve(ARCHIVE_STAMP.format(context.clock().instant()) + "-" + release);
        Files.move(folder, archived, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(manifestFile(release));
        Files.deleteIfExists(fingerprintFile(release));
        Files.setLastModifiedTime(archived, FileTime.from(context.clock().instant()));
        appendLedger(LedgerEntry.ARCHIVE, null, release, TargetLayout.FAILED + "/" + archived.getFileName());
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(path(TargetLayout.FAILED))) {
            all.forEach(archives::add);
        }
        archives.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        for (int i = 0; i < archives.size() - keepFailed; i++) {
            FileTrees.delete(archives.get(i));
        }
    }

    @Override
    public void remove(ReleaseId release) throws IOException {
        refuseIfLive(release, "remove");
        Path folder = releaseFolder(release);
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Out of releases/ in one rename, then deleted: an interruption leaves a leftover, never half a release.
        Path doomed = path(TargetLayout.STAGING).resolve("removing-" + release + "." + UUID.randomUUID());
        Files.move(folder, doomed, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(manifestFile(release));
        Files.deleteIfExists(fingerprintFile(release));
        FileTrees.delete(doomed);
        appendLedger(LedgerEntry.REMOVE, null, release, null);
    }

    private void refuseIfLive(ReleaseId release, String what) throws IOException {
        if (release.equals(readCurrent(new ArrayList<>()))) {
            throw new IllegalStateException(
                    "Refusing to " + what + " release " + release + " on " + name + ": it is live");
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private void appendLedger(String event, ReleaseId from, ReleaseId to, String detail) throws IOException {
        JsonLines.append(
                path(TargetLayout.LEDGER),
                new LedgerEntry(
                        context.clock().instant(),
                        event,
                        context.environment(),
                        context.operation().label(),
                        context.actor(),
                        from,
                        to,
                        detail));
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID());
        try (FileChannel channel =
                FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(content));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        // Nothing to release: a local session holds no connection.
    }
}

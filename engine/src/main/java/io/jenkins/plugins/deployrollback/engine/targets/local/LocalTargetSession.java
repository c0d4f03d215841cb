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
import io.jenkins.plugins.deployrollback.engine.support.ShellCommand;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.ReleaseIntegrity;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.TargetConflictException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One operation's work on a {@link LocalTarget}: each operation of {@link TargetSession} in the order
 * it happens on disk, built on the target's {@link LocalFolder}, its {@link LocalLock} and a
 * {@link LocalInspection} of its state.
 */
final class LocalTargetSession implements TargetSession {
    /** Crash point: the first file of a release is written, the rest is not. */
    static final String CRASH_MID_STAGE = "mid-stage";
    /** Crash point: the new link exists under a temporary name, {@code current} is not yet replaced. */
    static final String CRASH_MID_SWITCH = "mid-switch";

    private static final DateTimeFormatter ARCHIVE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String name;
    private final LocalFolder folder;
    private final LocalInspection inspection;
    private final OperationContext context;
    private LocalLock held;

    LocalTargetSession(String name, Path root, OperationContext context) {
        this.name = name;
        this.folder = new LocalFolder(name, root);
        this.inspection = new LocalInspection(folder);
        this.context = context;
    }

    @Override
    public String target() {
        return name;
    }

    // ---- reading -------------------------------------------------------------------------------

    @Override
    public TargetState inspect() throws IOException {
        return inspection.state();
    }

    @Override
    public List<LedgerEntry> ledger() throws IOException {
        return inspection.ledger();
    }

    // ---- lock ----------------------------------------------------------------------------------

    @Override
    public TargetLock lock(String purpose, Duration ttl, String forcedBy) throws IOException {
        folder.ensureLayout();
        LockInfo mine = LocalLock.take(folder, context, purpose, ttl, forcedBy);
        folder.cleanLeftovers(context.progress());
        held = new LocalLock(folder, context, mine, ttl);
        return held;
    }

    // ---- stage ---------------------------------------------------------------------------------

    @Override
    public boolean stage(Release release, ArtifactSupplier source, List<SharedPath> shared) throws IOException {
        folder.ensureLayout();
        Path releaseFolder = folder.releaseFolder(release.id());
        String manifest = release.content().manifest();
        if (Files.exists(releaseFolder, LinkOption.NOFOLLOW_LINKS)) {
            String existing = folder.readManifest(release.id());
            if (manifest.equals(existing) && Files.isDirectory(releaseFolder, LinkOption.NOFOLLOW_LINKS)) {
                if (folder.unchangedSinceStaged(release.id())) {
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
                    + "Release ids are immutable: deploy under a new release id, or remove " + releaseFolder
                    + " if it is not in use.");
        }
        Path staging = folder.path(TargetLayout.STAGING).resolve(release.id() + "." + UUID.randomUUID());
        Files.createDirectory(staging);
        try {
            ReleaseWriter.write(source.get(), release.content(), staging, () -> CrashPoint.reach(CRASH_MID_STAGE));
            folder.linkShared(staging, shared, context.progress());
            folder.moveIntoPlace(release.id(), staging, manifest);
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(staging);
            throw e;
        }
        appendLedger(LedgerEntry.STAGE, null, release.id(), release.content().summary());
        return true;
    }

    // ---- switch --------------------------------------------------------------------------------

    @Override
    public void switchTo(ReleaseId release) throws IOException {
        if (!Files.isDirectory(folder.releaseFolder(release), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Release " + release + " is not present on " + name + " (no releases/" + release
                    + "): it has to be staged before it can go live");
        }
        Path current = folder.path(TargetLayout.CURRENT);
        if (Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(current)) {
            throw new TargetConflictException(
                    current + " is not a link: move it away so that it can be switched atomically");
        }
        ReleaseId before = inspection.current();
        // rename(2) replaces the old link in one step: there is no moment without a current.
        folder.replaceLink(
                current, ".current-", TargetLayout.linkTo(release), () -> CrashPoint.reach(CRASH_MID_SWITCH));
        String now = Files.readSymbolicLink(current).toString();
        if (!now.equals(TargetLayout.linkTo(release))) {
            throw new IOException("After switching " + name + " to " + release + ", current points to " + now
                    + ": another process changed it at the same moment");
        }
        appendLedger(LedgerEntry.SWITCH, before, release, null);
        // The release that stopped serving, as it is now: what a later switch back to it must find.
        if (before != null
                && !before.equals(release)
                && Files.isDirectory(folder.releaseFolder(before), LinkOption.NOFOLLOW_LINKS)) {
            folder.recordFingerprint(before);
        }
    }

    @Override
    public void pointSlot(String slot, ReleaseId release) throws IOException {
        if (!Strategy.BlueGreen.SLOTS.contains(slot)) {
            throw new IllegalArgumentException("no slot " + slot + ": slots are " + Strategy.BlueGreen.SLOTS);
        }
        if (!Files.isDirectory(folder.releaseFolder(release), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Release " + release + " is not present on " + name + " (no releases/" + release
                    + "): it has to be staged before a slot can hold it");
        }
        Files.createDirectories(folder.path(TargetLayout.SLOTS));
        Path link = folder.path(TargetLayout.slot(slot));
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
            throw new TargetConflictException(
                    link + " is not a link: move it away so that it can be pointed atomically");
        }
        ReleaseId before = Files.isSymbolicLink(link)
                ? TargetLayout.releaseOfLink(Files.readSymbolicLink(link).toString())
                : null;
        folder.replaceLink(link, "." + slot + "-", TargetLayout.slotLinkTo(release), () -> {});
        appendLedger(LedgerEntry.SLOT, before, release, slot);
    }

    // ---- hooks ---------------------------------------------------------------------------------

    @Override
    public HookRun runHook(
            Hook hook, HookMode mode, ReleaseId release, Map<String, String> variables, Consumer<String> output)
            throws IOException {
        Map<String, String> environment = new HashMap<>(variables);
        environment.put("DEPLOY_ROOT", folder.root().toString());
        environment.put("DEPLOY_RELEASE_PATH", folder.releaseFolder(release).toString());
        environment.put("DEPLOY_TARGET", name);
        ShellCommand.Result result;
        try {
            result = ShellCommand.run(
                    hook.command(),
                    folder.releaseFolder(release).toFile(),
                    environment,
                    context.secrets(),
                    hook.timeout(),
                    output,
                    started ->
                            hookRunning(new LockInfo.RunningHook(hook.name(), started.pid(), started.processStart())),
                    () -> held != null && held.lost());
        } finally {
            if (held == null || !held.lost()) {
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

    /** Notes the running hook in the lock this session holds, if any (see {@link LocalLock#hookRunning}). */
    private void hookRunning(LockInfo.RunningHook hook) throws IOException {
        if (held != null) {
            held.hookRunning(hook);
        }
    }

    // ---- integrity -----------------------------------------------------------------------------

    @Override
    public ReleaseIntegrity verifyRelease(ReleaseId release) throws IOException {
        return inspection.integrity(release);
    }

    // ---- archive and removal -------------------------------------------------------------------

    @Override
    public void archiveFailed(ReleaseId release, int keepFailed) throws IOException {
        refuseIfLive(release, "archive");
        if (!Files.exists(folder.releaseFolder(release), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path archived = folder.path(TargetLayout.FAILED)
                .resolve(ARCHIVE_STAMP.format(context.clock().instant()) + "-" + release);
        folder.moveRelease(release, archived);
        Files.setLastModifiedTime(archived, FileTime.from(context.clock().instant()));
        appendLedger(LedgerEntry.ARCHIVE, null, release, TargetLayout.FAILED + "/" + archived.getFileName());
        folder.pruneArchives(keepFailed);
    }

    @Override
    public void remove(ReleaseId release) throws IOException {
        refuseIfLive(release, "remove");
        if (!Files.exists(folder.releaseFolder(release), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Out of releases/ in one rename, then deleted: an interruption leaves a leftover, never half a release.
        Path doomed = folder.path(TargetLayout.STAGING).resolve("removing-" + release + "." + UUID.randomUUID());
        folder.moveRelease(release, doomed);
        FileTrees.delete(doomed);
        appendLedger(LedgerEntry.REMOVE, null, release, null);
    }

    private void refuseIfLive(ReleaseId release, String what) throws IOException {
        if (release.equals(inspection.current())) {
            throw new IllegalStateException(
                    "Refusing to " + what + " release " + release + " on " + name + ": it is live");
        }
    }

    private void appendLedger(String event, ReleaseId from, ReleaseId to, String detail) throws IOException {
        folder.appendLedger(context.ledgerEntry(event, from, to, detail));
    }

    @Override
    public void close() {
        // Nothing to release: a local session holds no connection.
    }
}

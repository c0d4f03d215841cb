package io.jenkins.plugins.deployrollback.engine.targets.local;

import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.JsonLines;
import io.jenkins.plugins.deployrollback.engine.support.Machine;
import io.jenkins.plugins.deployrollback.engine.targets.HeldLock;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.StaleLocks;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;

/**
 * The lock a session holds on a local target, in {@code .deploy/lock}. Renewed from a heartbeat thread
 * and updated around hooks, so every change to it is synchronized and checks first that the lock on
 * disk is still this one. Every read and write of the lock file happens under {@code .deploy/lock.guard},
 * an exclusive file lock, so two operations never both see the lock free.
 */
final class LocalLock extends HeldLock {
    private final LocalFolder folder;

    /** Holds {@code info}, which {@link #take} wrote, for {@code ttl} at a time. */
    LocalLock(LocalFolder folder, OperationContext context, LockInfo info, Duration ttl) {
        super(context, info, ttl);
        this.folder = folder;
    }

    // ---- the lock file -------------------------------------------------------------------------

    /** The lock on the target, or null when it is free. */
    static LockInfo read(LocalFolder folder) throws IOException {
        try {
            return Json.mapper().readValue(Files.readAllBytes(folder.path(TargetLayout.LOCK)), LockInfo.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Lock files are written whole by a rename; an unreadable one was not written by us.
            throw new IOException(
                    folder.path(TargetLayout.LOCK) + " is unreadable (" + e.getOriginalMessage()
                            + "): if no operation is running on " + folder.target() + ", remove it",
                    e);
        }
    }

    private static void write(LocalFolder folder, LockInfo info) throws IOException {
        LocalFolder.writeAtomically(
                folder.path(TargetLayout.LOCK), Json.mapper().writeValueAsBytes(info));
    }

    /**
     * Writes this operation's lock for {@code purpose} and returns it. A lock held by someone else is
     * taken over, with a warning and a {@code lock-takeover} ledger line, when it is stale or
     * {@code forcedBy} is given.
     *
     * @throws TargetLockedException naming the holder when it may not be taken over
     */
    static LockInfo take(LocalFolder folder, OperationContext context, String purpose, Duration ttl, String forcedBy)
            throws IOException {
        Instant now = context.clock().instant();
        LockInfo mine = context.lock(purpose, now, ttl);
        JsonLines.withExclusiveLock(folder.path(TargetLayout.LOCK_GUARD), guard -> {
            LockInfo holder = read(folder);
            if (holder != null) {
                String stale = staleReason(holder, now);
                if (stale == null && forcedBy != null) {
                    stale = "forced: " + forcedBy;
                }
                if (stale == null) {
                    throw new TargetLockedException(
                            folder.target(),
                            holder,
                            folder.path(TargetLayout.LOCK).toString(),
                            hookStillRuns(holder) && StaleLocks.holderGone(holder));
                }
                context.progress()
                        .warn("Took over the lock of " + folder.target() + " held by " + holder.describe() + ": "
                                + stale);
                folder.appendLedger(context.ledgerEntry(
                        LedgerEntry.LOCK_TAKEOVER, null, null, "from " + holder.describe() + ": " + stale));
            }
            write(folder, mine);
        });
        return mine;
    }

    /** Why {@code holder}'s lock may be taken over, or null when it may not. */
    private static String staleReason(LockInfo holder, Instant now) {
        return hookStillRuns(holder) ? null : StaleLocks.reason(holder, now);
    }

    /** True when the holder's hook runs on this machine still (its holder may be gone: killed mid-hook). */
    private static boolean hookStillRuns(LockInfo holder) {
        return holder.hook() != null
                && holder.host().equals(Machine.hostName())
                && Machine.mayBeAlive(holder.hook().pid(), holder.hook().processStart());
    }

    // ---- the held lock -------------------------------------------------------------------------

    @Override
    protected void replace(LockInfo current, LockInfo next) throws IOException {
        JsonLines.withExclusiveLock(folder.path(TargetLayout.LOCK_GUARD), guard -> {
            LockInfo onDisk = read(folder);
            if (onDisk == null || !onDisk.token().equals(current.token())) {
                throw lostTo(folder.target(), onDisk);
            }
            write(folder, next);
        });
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            JsonLines.withExclusiveLock(folder.path(TargetLayout.LOCK_GUARD), guard -> {
                LockInfo onDisk = read(folder);
                if (onDisk != null && onDisk.token().equals(info().token())) {
                    Files.delete(folder.path(TargetLayout.LOCK));
                }
            });
        } finally {
            released();
        }
    }
}

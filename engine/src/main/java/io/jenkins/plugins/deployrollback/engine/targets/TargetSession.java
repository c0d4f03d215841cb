package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the flow does on one target during one operation. Every change is recorded in the target's
 * ledger. Implementations keep the layout of {@link TargetLayout} and these promises: a release
 * folder appears whole or not at all; {@code current} is replaced in one rename and always points to
 * a complete release; nothing live is ever archived or removed.
 */
public interface TargetSession extends AutoCloseable {
    /** The target's name. */
    String target();

    /** Reads the target's state without changing it. */
    TargetState inspect() throws IOException;

    /**
     * Takes the target's lock for {@code ttl}. A lock whose holder is gone (expired, or its process no
     * longer runs on this machine) is taken over with a warning. Leftovers of interrupted operations
     * (half-unpacked releases, temporary links) are cleaned once the lock is held.
     *
     * @throws TargetLockedException naming the holder when someone else holds it
     */
    default TargetLock lock(String purpose, Duration ttl) throws IOException {
        return lock(purpose, ttl, null);
    }

    /**
     * Takes the target's lock as {@link #lock(String, Duration)} does; with {@code forcedBy} (why, and
     * by whom) a lock whose holder may still be running is taken over too, with a warning and a
     * {@code lock-takeover} ledger line naming the holder and the reason ({@code unlock --force}).
     */
    TargetLock lock(String purpose, Duration ttl, String forcedBy) throws IOException;

    /**
     * Makes {@code release} present in {@code releases/<id>/}: unpacks {@code source}, verifies every
     * checksum, links {@code shared} paths, makes it durable, then moves the folder into place in one
     * rename. A folder already present with the release's manifest is kept when its fingerprint is
     * the one recorded when it was staged or last stopped serving (what its hooks or the application
     * wrote while it served is kept); a folder changed since is moved to {@code .deploy/failed/} and
     * staged again from {@code source}, with a warning.
     *
     * @return false when it was already present with the same content (nothing was transferred)
     * @throws TargetConflictException when a folder with the same id but other content is present
     */
    boolean stage(Release release, ArtifactSupplier source, List<SharedPath> shared) throws IOException;

    /** {@link #stage(Release, ArtifactSupplier, List)} with artifacts at hand. */
    default boolean stage(Release release, ArtifactSource source, List<SharedPath> shared) throws IOException {
        return stage(release, () -> source, shared);
    }

    /** Supplies a release's artifacts only when they are needed: a release already staged needs none. */
    @FunctionalInterface
    interface ArtifactSupplier {
        ArtifactSource get() throws IOException;
    }

    /**
     * Checks the release folder {@code release} in full, changing nothing: every file the manifest
     * lists is read and its SHA-256 compared, and the folder's fingerprint with the one recorded.
     */
    ReleaseIntegrity verifyRelease(ReleaseId release) throws IOException;

    /** Points {@code current} to the present release {@code release} in one atomic rename, and verifies it. */
    void switchTo(ReleaseId release) throws IOException;

    /**
     * Points blue/green slot {@code slot} ({@code slots/blue} or {@code slots/green}) to the present
     * release {@code release} in one atomic rename, as {@link #switchTo} does with {@code current}.
     */
    void pointSlot(String slot, ReleaseId release) throws IOException;

    /**
     * Runs {@code hook} in the folder of {@code release} with {@code variables} in its environment,
     * sending each line it prints to {@code output}. Returns how it ended; never throws for a non-zero
     * exit (the flow decides what that means).
     */
    HookRun runHook(Hook hook, HookMode mode, ReleaseId release, Map<String, String> variables, Consumer<String> output)
            throws IOException;

    /** Moves a failed, not live, release to {@code .deploy/failed/}; keeps the newest {@code keepFailed}. */
    void archiveFailed(ReleaseId release, int keepFailed) throws IOException;

    /** Deletes a release folder that is not live (retention). */
    void remove(ReleaseId release) throws IOException;

    /** The ledger, oldest first. */
    List<LedgerEntry> ledger() throws IOException;

    @Override
    void close() throws IOException;
}

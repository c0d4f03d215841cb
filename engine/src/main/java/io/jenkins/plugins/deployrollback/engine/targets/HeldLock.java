package io.jenkins.plugins.deployrollback.engine.targets;

import java.io.IOException;
import java.time.Duration;

/**
 * A lock a session holds, local or over SSH: renewed from a heartbeat thread and updated around hooks,
 * so every change is synchronized, and each is a compare-and-swap on the target ({@link #replace}):
 * a lock taken over meanwhile is noticed, never overwritten, and the session is told it was lost.
 */
public abstract class HeldLock implements TargetLock {
    private final OperationContext context;
    private final Duration ttl;
    private LockInfo info;
    /** Set once another operation is seen holding the lock; a running hook is then stopped. */
    private volatile boolean lost;

    /** Holds {@code info}, just written on the target, for {@code ttl} at a time. */
    protected HeldLock(OperationContext context, LockInfo info, Duration ttl) {
        this.context = context;
        this.info = info;
        this.ttl = ttl;
        StaleLocks.holding(info.token());
    }

    @Override
    public final synchronized LockInfo info() {
        return info;
    }

    /** True once another operation was seen holding the lock. */
    public final boolean lost() {
        return lost;
    }

    @Override
    public final synchronized void refresh() throws IOException {
        update(info.expiringAt(context.clock().instant().plus(ttl)));
    }

    /**
     * Notes the running hook in the lock (or clears it with null), so that if this process dies mid-hook
     * the lock is not taken over while the orphaned hook still runs: a migration never runs twice at once.
     */
    public final synchronized void hookRunning(LockInfo.RunningHook hook) throws IOException {
        update(info.running(hook).expiringAt(context.clock().instant().plus(ttl)));
    }

    private void update(LockInfo next) throws IOException {
        replace(info, next);
        info = next;
    }

    /**
     * Puts {@code next} in place of {@code current} on the target, when the lock there is still {@code
     * current}; else throws what {@link #lostTo} makes.
     */
    protected abstract void replace(LockInfo current, LockInfo next) throws IOException;

    /** Marks the lock lost, to {@code holder} (null when it was removed), and says so for {@code target}. */
    protected final LockLostException lostTo(String target, LockInfo holder) {
        lost = true;
        return new LockLostException("The lock of " + target + " was "
                + (holder == null ? "removed" : "taken over by " + holder.describe()) + " while this "
                + context.operation().label() + " held it.");
    }

    /** Forgets the lock in this process, once the target's is released (or could not be). */
    protected final void released() {
        StaleLocks.released(info.token());
    }
}

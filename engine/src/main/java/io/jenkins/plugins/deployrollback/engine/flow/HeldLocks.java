package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.target.LockLostException;
import io.jenkins.plugins.deployrollback.engine.target.TargetLock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The locks of one operation, one per target. A heartbeat renews them every third of their lifetime,
 * so a lock expires only when its holder stops renewing it (killed, cut off from the target), never
 * because a hook or a check runs long. A renewal that fails for another reason (a passing I/O error)
 * is tried again at the next beat. A lock is lost when another operation took it over, or when it
 * could not be renewed before it expired; from then on {@link #ensureHeld()} throws, and the flow
 * stops without changing anything more. Each lock is renewed on its own, so the threads working on
 * different targets never wait for each other's renewals.
 */
final class HeldLocks implements AutoCloseable {
    /** A lock and when it was last renewed; renewed and released under its own monitor. */
    private static final class Held {
        final TargetLock lock;
        long lastRenewed = System.nanoTime();
        boolean released;

        Held(TargetLock lock) {
            this.lock = lock;
        }
    }

    private final Map<String, Held> locks = new ConcurrentHashMap<>();
    private final AtomicReference<LockLostException> lost = new AtomicReference<>();
    private final Consumer<String> warnings;
    private volatile long lifetimeNanos = Long.MAX_VALUE;
    private ScheduledExecutorService heartbeat;

    HeldLocks(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /** Adds the lock just taken on {@code target}; safe to call from several threads. */
    void add(String target, TargetLock lock) {
        locks.put(target, new Held(lock));
    }

    /** Starts renewing every lock, those added later too, every third of {@code lifetime}. */
    synchronized void keepAlive(Duration lifetime) {
        lifetimeNanos = lifetime.toNanos();
        long every = Math.max(200, lifetime.toMillis() / 3);
        heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lock-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(
                () -> locks.values().forEach(this::renew), every, every, TimeUnit.MILLISECONDS);
    }

    /** Renews every lock now; throws when one is no longer held (now, or since the last heartbeat). */
    void ensureHeld() throws LockLostException {
        locks.values().forEach(this::renew);
        throwIfLost();
    }

    /**
     * Renews the lock of {@code target} now; throws when it, or any other lock of the operation, is
     * no longer held. Called before each change on a target.
     */
    void ensureHeld(String target) throws LockLostException {
        Held held = locks.get(target);
        if (held != null) {
            renew(held);
        }
        throwIfLost();
    }

    private void throwIfLost() throws LockLostException {
        LockLostException failure = lost.get();
        if (failure != null) {
            throw failure;
        }
    }

    private void renew(Held held) {
        if (lost.get() != null) {
            return;
        }
        synchronized (held) {
            if (held.released) {
                return;
            }
            try {
                held.lock.refresh();
                held.lastRenewed = System.nanoTime();
            } catch (LockLostException e) {
                lost.compareAndSet(null, e);
            } catch (IOException | RuntimeException e) {
                if (System.nanoTime() - held.lastRenewed >= lifetimeNanos) {
                    lost.compareAndSet(
                            null,
                            new LockLostException("The lock could not be renewed before it expired (" + e.getMessage()
                                    + "), so another operation may have taken it over."));
                } else {
                    warnings.accept("Could not renew a lock (" + e.getMessage() + "); trying again before it expires");
                }
            }
        }
    }

    /** Stops renewing the locks: the operation is about to release them. */
    synchronized void stopRenewing() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            try {
                heartbeat.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heartbeat = null;
        }
    }

    /** Releases the lock of {@code target}, if it is still ours; safe to call from several threads. */
    void release(String target) {
        Held held = locks.remove(target);
        if (held == null) {
            return;
        }
        synchronized (held) {
            held.released = true;
            try {
                held.lock.close();
            } catch (IOException e) {
                warnings.accept("Could not release the lock of " + target + ": " + e.getMessage());
            }
        }
    }

    /** Stops the heartbeat and releases every lock not released yet. */
    @Override
    public void close() {
        stopRenewing();
        List.copyOf(locks.keySet()).forEach(this::release);
    }
}

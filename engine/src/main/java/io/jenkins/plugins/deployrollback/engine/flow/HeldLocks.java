package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
        /** When the lock was last known to be ours, by the operation's clock; null once something else ran. */
        volatile Instant confirmed;

        boolean released;

        Held(TargetLock lock) {
            this.lock = lock;
        }
    }

    private final Map<String, Held> locks = new ConcurrentHashMap<>();
    private final AtomicReference<LockLostException> lost = new AtomicReference<>();
    private final Consumer<String> warnings;
    private final Clock clock;
    private volatile long lifetimeNanos = Long.MAX_VALUE;
    private ScheduledExecutorService heartbeat;

    /** @param clock the operation's clock, the one its locks' expiry is reckoned by */
    HeldLocks(Consumer<String> warnings, Clock clock) {
        this.warnings = warnings;
        this.clock = clock;
    }

    /** Adds the lock just taken on {@code target}; safe to call from several threads. */
    void add(String target, TargetLock lock) {
        Held held = new Held(lock);
        held.confirmed = clock.instant();
        locks.put(target, held);
    }

    /**
     * Something outside the flow ran (a hook, a gate): the next check of each lock asks its target,
     * however recently the lock was confirmed.
     */
    void outsideWorkRan() {
        locks.values().forEach(held -> held.confirmed = null);
    }

    /** As {@link #outsideWorkRan()}, for the lock of {@code target} only. */
    void outsideWorkRan(String target) {
        Held held = locks.get(target);
        if (held != null) {
            held.confirmed = null;
        }
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
        locks.values().forEach(this::renewUnlessFresh);
        throwIfLost();
    }

    /**
     * Renews the lock of {@code target} now; throws when it, or any other lock of the operation, is
     * no longer held. Called before each change on a target.
     */
    void ensureHeld(String target) throws LockLostException {
        Held held = locks.get(target);
        if (held != null) {
            renewUnlessFresh(held);
        }
        throwIfLost();
    }

    /**
     * Renews {@code held}, unless it was taken or renewed less than {@link #FRESH} ago with only the
     * flow's own steps since: nothing could have expired it, and asking the target again is a round
     * trip for nothing. After a hook or a gate, the target is always asked.
     */
    private void renewUnlessFresh(Held held) {
        Instant confirmed = held.confirmed;
        Instant now = clock.instant();
        if (confirmed != null
                && !now.isBefore(confirmed)
                && Duration.between(confirmed, now).compareTo(FRESH) < 0) {
            return;
        }
        renew(held);
    }

    /** How long a confirmed lock is taken as still held when nothing but the flow ran since. */
    static final Duration FRESH = Duration.ofSeconds(1);

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
                Instant asked = clock.instant();
                held.lock.refresh();
                held.lastRenewed = System.nanoTime();
                held.confirmed = asked;
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

package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.target.LockLostException;
import io.jenkins.plugins.deployrollback.engine.target.TargetLock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The locks of one operation. A heartbeat renews them every third of their lifetime, so a lock
 * expires only when its holder stops renewing it (killed, cut off from the target), never because a
 * hook or a check runs long. A renewal that fails for another reason (a passing I/O error) is tried
 * again at the next beat. A lock is lost when another operation took it over, or when it could not
 * be renewed before it expired; from then on {@link #ensureHeld()} throws, and the flow stops without
 * changing anything more.
 */
final class HeldLocks implements AutoCloseable {
    private final List<TargetLock> locks = new ArrayList<>();
    private final List<Long> lastRenewed = new ArrayList<>();
    private final AtomicReference<LockLostException> lost = new AtomicReference<>();
    private final Consumer<String> warnings;
    private long lifetimeNanos = Long.MAX_VALUE;
    private ScheduledExecutorService heartbeat;

    HeldLocks(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    synchronized void add(TargetLock lock) {
        locks.add(lock);
        lastRenewed.add(System.nanoTime());
    }

    /** Starts renewing every lock every third of {@code lifetime}. */
    synchronized void keepAlive(Duration lifetime) {
        lifetimeNanos = lifetime.toNanos();
        long every = Math.max(200, lifetime.toMillis() / 3);
        heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lock-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** Renews every lock now; throws when one is no longer held (now, or since the last heartbeat). */
    void ensureHeld() throws LockLostException {
        renew();
        LockLostException failure = lost.get();
        if (failure != null) {
            throw failure;
        }
    }

    private synchronized void renew() {
        if (lost.get() != null) {
            return;
        }
        for (int i = 0; i < locks.size(); i++) {
            try {
                locks.get(i).refresh();
                lastRenewed.set(i, System.nanoTime());
            } catch (LockLostException e) {
                lost.compareAndSet(null, e);
            } catch (IOException | RuntimeException e) {
                if (System.nanoTime() - lastRenewed.get(i) >= lifetimeNanos) {
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

    /** Stops the heartbeat and releases every lock still ours. */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            try {
                heartbeat.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (TargetLock lock : locks) {
            try {
                lock.close();
            } catch (IOException e) {
                warnings.accept("Could not release a lock: " + e.getMessage());
            }
        }
    }
}

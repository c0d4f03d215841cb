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
 * expires only when its holder stops (killed, hung, cut off), never because a hook or a check runs
 * long. When a lock is lost — taken over, removed, or not renewable — {@link #ensureHeld()} throws
 * from then on, and the flow stops without changing anything more.
 */
final class HeldLocks implements AutoCloseable {
    private final List<TargetLock> locks = new ArrayList<>();
    private final AtomicReference<LockLostException> lost = new AtomicReference<>();
    private final Consumer<String> warnings;
    private ScheduledExecutorService heartbeat;

    HeldLocks(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    void add(TargetLock lock) {
        locks.add(lock);
    }

    /** Starts renewing every lock every third of {@code lifetime}. */
    void keepAlive(Duration lifetime) {
        long every = Math.max(200, lifetime.toMillis() / 3);
        heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lock-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Renews every lock now; throws when one is no longer held (now, or since the last heartbeat). */
    void ensureHeld() throws LockLostException {
        renewQuietly();
        LockLostException failure = lost.get();
        if (failure != null) {
            throw failure;
        }
    }

    private synchronized void renewQuietly() {
        if (lost.get() != null) {
            return;
        }
        for (TargetLock lock : locks) {
            try {
                lock.refresh();
            } catch (LockLostException e) {
                lost.compareAndSet(null, e);
            } catch (IOException | RuntimeException e) {
                lost.compareAndSet(
                        null,
                        new LockLostException("The lock held for this operation could not be renewed (" + e.getMessage()
                                + "), so it may be taken over."));
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

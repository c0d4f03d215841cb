package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The threads one operation works on its targets with: one step on every target, at most
 * {@code concurrency} targets at a time, the results in target order whatever order the targets
 * finished in. A step is all-or-nothing ({@link OnFailure#STOP}: once a target failed, targets not
 * yet started are not started) or best effort ({@link OnFailure#CONTINUE}: every target is tried). A
 * lost lock stops any step. Steps already running are let finish: stopping a hook or a transfer
 * halfway would leave more to clean than finishing it. Only when the operation's own thread is
 * interrupted are the running steps interrupted too, and waited for.
 */
final class TargetWorkers implements AutoCloseable {
    /** How long interrupted steps, and the threads at the end, are waited for before they are left behind. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    /** Every thread the pool started, to wait for their end on close. */
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What a step does when one target fails. */
    enum OnFailure {
        /** Targets not started yet are not started (all-or-nothing steps: stage, hooks, switch …). */
        STOP,
        /** Every target is tried (clean-up steps: switching back, archiving, retention, unlocking). */
        CONTINUE
    }

    /**
     * The operation's thread was interrupted while a step ran on its targets (a build was aborted):
     * the steps running were interrupted and waited for, the others were not started.
     */
    static final class Interrupted extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Interrupted(String message) {
            super(message);
        }
    }

    /** The step on one target. */
    @FunctionalInterface
    interface Work<T, R> {
        R run(T target) throws IOException;
    }

    /**
     * What a step did on one target: its value, or how it failed, or that it was not started because
     * another target failed first.
     */
    record Done<R>(String target, R value, Throwable failure, boolean started) {
        boolean failed() {
            return failure != null;
        }

        boolean succeeded() {
            return started && failure == null;
        }
    }

    /** What a step did on every target, in target order. */
    record Results<R>(List<Done<R>> done) {
        Results {
            done = List.copyOf(done);
        }

        List<Done<R>> succeeded() {
            return done.stream().filter(Done::succeeded).toList();
        }

        List<Done<R>> failed() {
            return done.stream().filter(Done::failed).toList();
        }

        List<String> notStarted() {
            return done.stream().filter(d -> !d.started()).map(Done::target).toList();
        }

        boolean anyFailed() {
            return done.stream().anyMatch(Done::failed);
        }

        /** The values of the targets where the step succeeded, in target order. */
        List<R> values() {
            return succeeded().stream().map(Done::value).toList();
        }

        /** Throws the first lost lock, or an error (a bug, out of memory), as the operation's own. */
        void rethrowLockLostAndErrors() throws LockLostException {
            for (Done<R> d : done) {
                if (d.failure() instanceof Error error) {
                    throw error;
                }
            }
            for (Done<R> d : done) {
                if (d.failure() instanceof LockLostException lost) {
                    throw lost;
                }
            }
        }
    }

    private final ExecutorService executor;
    private final Consumer<String> warnings;

    /**
     * @param concurrency at most this many targets at a time
     * @param targets how many targets the operation has (no more threads than that are started)
     */
    TargetWorkers(int concurrency, int targets, Consumer<String> warnings) {
        this.warnings = warnings;
        this.executor = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, targets)), task -> {
            Thread thread = new Thread(task, "target-worker");
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        });
    }

    /**
     * Runs {@code work} on every one of {@code targets} and waits until each is done. While it works
     * on a target, a thread is named after it ({@code target-web-3}), so that thread dumps and logs say
     * which host is slow.
     *
     * @throws Interrupted when this thread is interrupted: the running steps are interrupted and
     *     waited for, the others are not started
     */
    <T, R> Results<R> run(List<T> targets, Function<T, String> name, OnFailure onFailure, Work<T, R> work)
            throws Interrupted {
        int count = targets.size();
        AtomicReferenceArray<Done<R>> done = new AtomicReferenceArray<>(count);
        CountDownLatch finished = new CountDownLatch(count);
        AtomicBoolean stop = new AtomicBoolean();
        // The threads working on a target now, with the target's index.
        Map<Thread, Integer> running = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            T target = targets.get(i);
            String targetName = name.apply(target);
            executor.execute(() -> {
                Thread thread = Thread.currentThread();
                try {
                    if (stop.get()) {
                        done.set(index, new Done<>(targetName, null, null, false));
                        return;
                    }
                    thread.setName("target-" + targetName);
                    synchronized (running) {
                        running.put(thread, index);
                    }
                    try {
                        done.set(index, new Done<>(targetName, work.run(target), null, true));
                    } catch (IOException | RuntimeException | Error e) {
                        done.set(index, new Done<>(targetName, null, e, true));
                        if (onFailure == OnFailure.STOP || e instanceof LockLostException || e instanceof Error) {
                            stop.set(true);
                        }
                    } finally {
                        // Removed before the thread takes its next target, so an interrupt meant for
                        // this step never reaches the next one.
                        synchronized (running) {
                            running.remove(thread);
                        }
                    }
                } finally {
                    thread.setName("target-worker");
                    finished.countDown();
                }
            });
        }
        try {
            finished.await();
        } catch (InterruptedException e) {
            stop.set(true);
            List<String> busy;
            synchronized (running) {
                running.keySet().forEach(Thread::interrupt);
                busy = running.values().stream()
                        .sorted()
                        .map(i -> name.apply(targets.get(i)))
                        .toList();
            }
            boolean ended = awaitUninterruptibly(finished);
            Thread.currentThread().interrupt();
            throw new Interrupted(
                    busy.isEmpty()
                            ? "interrupted"
                            : "interrupted while working on " + String.join(", ", busy) + ", "
                                    + (ended
                                            ? "which stopped"
                                            : "which had not stopped " + GRACE.toSeconds() + " s later"));
        }
        List<Done<R>> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            results.add(done.get(i));
        }
        return new Results<>(results);
    }

    private static boolean awaitUninterruptibly(CountDownLatch latch) {
        long deadline = System.nanoTime() + GRACE.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the threads; a step still running (it ignored its interrupt) is waited for a while, then left. */
    @Override
    public void close() {
        executor.shutdownNow();
        boolean interrupted = false;
        try {
            if (!executor.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                warnings.accept("A step on a target was still running " + GRACE.toSeconds()
                        + " s after the operation ended; it was left to finish on its own");
            } else {
                // Terminated means every task is done; each thread still has its last steps to run.
                // Waiting for them means no thread of this operation outlives it.
                for (Thread thread : threads) {
                    thread.join(GRACE.toMillis());
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

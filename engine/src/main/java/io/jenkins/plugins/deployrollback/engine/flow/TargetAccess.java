package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Done;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;

/**
 * The targets of an operation, first and last: a session opened on each, every one locked or none
 * (the locks taken are released at once when one cannot be), the locks renewed while the operation
 * runs, and at the end, whatever happened, the locks released and the sessions closed; and, when a
 * lost lock or an interrupt stops the operation, what it says about where it stopped.
 */
final class TargetAccess {
    private final OperationScope scope;

    TargetAccess(OperationScope scope) {
        this.scope = scope;
    }

    /** Opens a session on every target, or fails naming the ones that could not be opened. */
    void open(Secrets secrets) throws IOException {
        String step = "connecting";
        Results<TargetSession> opened = scope.onTargets()
                .allOrNothing(
                        step,
                        scope.environment().targets(),
                        Target::name,
                        target -> target.open(new OperationContext(
                                scope.environment().name(),
                                scope.operation(),
                                scope.actor(),
                                scope.clock(),
                                scope.onTargets().journal(target.name()).listening(scope.progress()),
                                secrets)));
        for (TargetSession session : opened.values()) {
            scope.sessions().add(session);
        }
        scope.onTargets().throwIfFailed(step, opened);
    }

    /**
     * Locks every target. If one cannot be locked, the locks taken on the others are released at once
     * and nothing is changed anywhere; the failure names the holder.
     */
    void lock(String purpose) throws IOException {
        scope.progress()
                .stage(
                        "lock",
                        "Locking " + Text.count(scope.sessions().size(), "target") + " of "
                                + scope.environment().name()
                                + (scope.sessions().size() > scope.environment().concurrency()
                                        ? " (working on at most "
                                                + scope.environment().concurrency() + " at a time)"
                                        : ""));
        scope.locks().keepAlive(scope.environment().lockTimeout());
        String step = "locking " + scope.environment().name();
        Results<TargetLock> locked = scope.onTargets().allOrNothing(step, scope.sessions(), session -> {
            TargetLock lock = session.lock(purpose, scope.environment().lockTimeout());
            scope.locks().add(session.target(), lock);
            return lock;
        });
        if (!locked.anyFailed()) {
            return;
        }
        unlock();
        if (scope.sessions().size() == 1) {
            scope.onTargets().throwIfFailed(step, locked);
        }
        String message = scope.onTargets().summary(step, locked)
                + (locked.succeeded().isEmpty() ? "" : " The locks taken on the other targets were released.");
        List<Throwable> failures = locked.failed().stream().map(Done::failure).toList();
        IOException failure = failures.stream().allMatch(TargetLockedException.class::isInstance)
                ? new TargetLockedException(message, ((TargetLockedException) failures.get(0)).holder())
                : new IOException(message, failures.get(0));
        failures.forEach(failure::addSuppressed);
        throw failure;
    }

    /** Renews every lock now: before changes that are not on a target (history) or take long (checks). */
    void ensureLocksHeld() throws IOException {
        scope.onTargets().everyTarget(scope.sessions(), session -> {
            scope.locks().ensureHeld(session.target());
            return null;
        });
    }

    /** The message of an operation stopped because another one took its lock, printed as a warning. */
    LockLostException stopped(LockLostException e) {
        LockLostException stopped =
                new LockLostException(e.getMessage() + " Stopped at once: nothing more was changed and this "
                        + scope.operation().label()
                        + " was not recorded; each target's .deploy/ledger shows what it did. Run status to see where "
                        + scope.environment().name() + " stands.");
        scope.progress().warn(stopped.getMessage());
        return stopped;
    }

    /**
     * The message of an operation whose thread was interrupted (a build aborted), printed as a
     * warning: it stopped where it was, as if killed there, but released its locks first.
     */
    InterruptedIOException interrupted(TargetWorkers.Interrupted e) {
        InterruptedIOException interrupted = new InterruptedIOException("The "
                + scope.operation().label() + " of "
                + scope.environment().name() + " was " + e.getMessage()
                + ". Nothing more was started and this " + scope.operation().label()
                + " was not recorded; each target's .deploy/ledger shows what it did. Run the same command again"
                + " to complete it, or run status to see where "
                + scope.environment().name() + " stands.");
        scope.progress().warn(interrupted.getMessage());
        return interrupted;
    }

    /**
     * Releases the locks and closes the sessions, in parallel, then stops the workers: also after a
     * failure, and also when this thread was interrupted (the interrupt is kept for the caller).
     */
    void finish() {
        boolean interrupted = Thread.interrupted();
        try {
            unlock();
            closeSessions();
        } finally {
            scope.onTargets().close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void unlock() {
        scope.locks().stopRenewing();
        try {
            scope.onTargets().everyTarget(scope.sessions(), session -> {
                scope.locks().release(session.target());
                return null;
            });
        } catch (IOException e) {
            scope.progress()
                    .warn("Releasing the locks in parallel stopped (" + e.getMessage() + "); releasing the rest");
        }
        scope.locks().close();
    }

    private void closeSessions() {
        Results<Void> closed;
        try {
            closed = scope.onTargets().everyTarget(scope.sessions(), session -> {
                session.close();
                return null;
            });
        } catch (IOException e) {
            scope.progress().warn("Closing the sessions to the targets stopped: " + e.getMessage());
            return;
        }
        for (Done<Void> done : closed.failed()) {
            scope.progress()
                    .warn("Could not close the session to " + done.target() + ": "
                            + scope.onTargets().why(done));
        }
    }
}

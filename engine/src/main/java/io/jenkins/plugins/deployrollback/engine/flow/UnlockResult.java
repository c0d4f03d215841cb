package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;

/**
 * What {@code unlock} did on one target: whose lock it found ({@code holder}, null when none) and
 * what became of it.
 *
 * @param detail why the lock could be released, or why it was left alone
 */
public record UnlockResult(String target, LockInfo holder, Outcome outcome, String detail) {
    /** What became of a target's lock. */
    public enum Outcome {
        /** There was no lock. */
        NOT_LOCKED,
        /** Its holder was gone (expired, or its process no longer runs), so it was released. */
        RELEASED,
        /** Its holder may still be running; left alone (use force, once sure it is not). */
        REFUSED,
        /** Released although its holder may still be running, as asked. */
        FORCED
    }
}

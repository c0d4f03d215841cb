package io.jenkins.plugins.deployrollback.engine.targets;

import java.time.Instant;

/**
 * Who holds a target's lock, from where, for what, since when and until when, and the hook it is
 * running, if any. The token tells the holder's own lock from one taken over.
 *
 * @param hook the hook running on this target for the holder, or null; a lock is not taken over
 *     while its hook still runs, even if the holder's own process is gone
 */
public record LockInfo(
        String owner,
        String host,
        long pid,
        Instant processStart,
        String purpose,
        String token,
        Instant since,
        Instant expires,
        RunningHook hook) {

    /** A hook started by the lock's holder: its name and the process running it. */
    public record RunningHook(String name, long pid, Instant processStart) {}

    /** This lock with a new expiry. */
    public LockInfo expiringAt(Instant newExpiry) {
        return new LockInfo(owner, host, pid, processStart, purpose, token, since, newExpiry, hook);
    }

    /** This lock with {@code running} as its running hook (null: none). */
    public LockInfo running(RunningHook running) {
        return new LockInfo(owner, host, pid, processStart, purpose, token, since, expires, running);
    }

    /**
     * {@code alice on build-7 (pid 4242), deploy r3 to production, since 2026-11-23T14:02:11Z (expires
     * 14:32:11Z), running hook migrate (pid 4250)}.
     */
    public String describe() {
        return owner + " on " + host + " (pid " + pid + "), " + purpose + ", since " + since + " (expires " + expires
                + ")" + (hook == null ? "" : ", running hook " + hook.name() + " (pid " + hook.pid() + ")");
    }
}

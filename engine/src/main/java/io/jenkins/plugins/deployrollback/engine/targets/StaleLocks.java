package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.support.Machine;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When another operation's lock may be taken over, the same for every kind of target: it expired;
 * its holder ran on this machine and is gone; or it was left by an operation of this very process
 * that has ended (a target unreachable when it unlocked), so a long-running front end such as Jenkins
 * does not wait for it to expire. Never while a hook the lock names still runs: the caller checks
 * that where the hook runs.
 */
public final class StaleLocks {
    /** The tokens of the locks this process holds now. */
    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

    private StaleLocks() {}

    /** Notes that this process holds the lock with {@code token}. */
    public static void holding(String token) {
        HELD.add(token);
    }

    /** Notes that this process no longer holds the lock with {@code token}. */
    public static void released(String token) {
        HELD.remove(token);
    }

    /** Why {@code holder}'s lock may be taken over at {@code now} (its hook known not to run), or null. */
    public static String reason(LockInfo holder, Instant now) {
        if (now.isAfter(holder.expires())) {
            return "it expired at " + holder.expires();
        }
        if (isThisProcess(holder) && !HELD.contains(holder.token())) {
            return "it was left by an operation of this process that has ended";
        }
        if (holderGone(holder)) {
            return "its process (pid " + holder.pid() + " on this machine) is no longer running";
        }
        return null;
    }

    /** True when the holder ran on this machine and its process no longer does. */
    public static boolean holderGone(LockInfo holder) {
        return holder.host().equals(Machine.hostName()) && !Machine.mayBeAlive(holder.pid(), holder.processStart());
    }

    private static boolean isThisProcess(LockInfo holder) {
        return holder.host().equals(Machine.hostName())
                && holder.pid() == Machine.pid()
                && Objects.equals(holder.processStart(), Machine.processStart());
    }
}

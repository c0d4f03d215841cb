package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.targets.HeldLock;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.StaleLocks;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lock of an SSH target, held by one session: {@link #take taken} in one round trip when it is
 * free, then renewed and updated around hooks ({@link HeldLock}), each change a compare-and-swap of
 * the lock file's text under {@code flock} on the host.
 */
final class SshLock extends HeldLock {
    /** The lock taken, and the state the lock step printed (null when it could not be read then). */
    record Taken(SshLock lock, String state) {}

    private final HostSteps steps;
    private final SshTarget target;
    private final InspectOutput inspectOutput;
    /** Called before the lock is given up: what the session knew of the target is then stale. */
    private final Runnable changed;

    private SshLock(
            HostSteps steps,
            SshTarget target,
            OperationContext context,
            InspectOutput inspectOutput,
            Runnable changed,
            LockInfo info,
            Duration ttl) {
        super(context, info, ttl);
        this.steps = steps;
        this.target = target;
        this.inspectOutput = inspectOutput;
        this.changed = changed;
    }

    /**
     * Takes the lock in one round trip when it is free: the host's {@link Scripts#TAKE_LOCK} creates the
     * layout, swaps the lock in, removes what interrupted operations left and prints the state. A lock
     * held by someone else comes back as its text; this then decides (stale, forced, a hook still
     * running) and swaps again from that text.
     *
     * @param held told of the lock as soon as it is the session's, before what follows may fail
     */
    static Taken take(
            HostSteps steps,
            SshTarget target,
            OperationContext context,
            InspectOutput inspectOutput,
            Runnable changed,
            String purpose,
            Duration ttl,
            String forcedBy,
            Consumer<SshLock> held)
            throws IOException {
        // Every lock text this session tried: a retry after a swap whose answer was lost finds one of them.
        Set<String> tried = new HashSet<>();
        LockInfo[] holder = {null};
        String[] takeover = {null};
        return steps.attempt("lock", c -> {
            String expected = "";
            for (int tries = 0; ; tries++) {
                Instant now = context.clock().instant();
                LockInfo mine = context.lock(purpose, now, ttl);
                String text = text(mine);
                tried.add(text);
                ControlShell.Result taken = steps.script(c, Scripts.TAKE_LOCK, "lock", expected, text);
                if (taken.ok()) {
                    SshLock lock = new SshLock(steps, target, context, inspectOutput, changed, mine, ttl);
                    held.accept(lock);
                    recordTakeover(steps, context, target, c, holder[0], takeover[0]);
                    return new Taken(lock, reportLeftovers(context, target, taken.out()));
                }
                if (taken.status() != 3 || tries >= 3) {
                    throw steps.failed("lock", taken);
                }
                if (tried.contains(taken.out())) {
                    // Our own swap went through, its answer lost: the lock is ours, the state unread.
                    SshLock lock = new SshLock(
                            steps, target, context, inspectOutput, changed, inspectOutput.lock(taken.out()), ttl);
                    held.accept(lock);
                    recordTakeover(steps, context, target, c, holder[0], takeover[0]);
                    reportLeftovers(
                            context,
                            target,
                            steps.check(c, Scripts.CLEAN, "clean").out());
                    return new Taken(lock, null);
                }
                expected = taken.out();
                holder[0] = inspectOutput.lock(expected);
                takeover[0] = takeoverReason(steps, target, c, holder[0], now, forcedBy);
            }
        });
    }

    /**
     * Why {@code holder}'s lock may be taken over, or a {@link TargetLockedException} when it may not: a
     * lock is taken over when it is stale and no hook of its holder still runs, or when forced.
     */
    private static String takeoverReason(
            HostSteps steps, SshTarget target, SshConnection c, LockInfo holder, Instant now, String forcedBy)
            throws IOException {
        if (holder == null) {
            return null;
        }
        boolean hookRuns = holder.hook() != null
                && steps.script(
                                c,
                                Scripts.HOOK_ALIVE,
                                "hook-alive",
                                Long.toString(holder.hook().pid()))
                        .ok();
        String takeover = hookRuns ? null : StaleLocks.reason(holder, now);
        if (takeover == null && forcedBy != null) {
            takeover = "forced: " + forcedBy;
        }
        if (takeover == null) {
            throw new TargetLockedException(
                    target.name(),
                    holder,
                    target.address() + "/" + TargetLayout.LOCK,
                    hookRuns && StaleLocks.holderGone(holder));
        }
        return takeover;
    }

    private static void recordTakeover(
            HostSteps steps,
            OperationContext context,
            SshTarget target,
            SshConnection c,
            LockInfo holder,
            String takeover)
            throws IOException {
        if (takeover == null) {
            return;
        }
        context.progress()
                .warn("Took over the lock of " + target.name() + " held by " + holder.describe() + ": " + takeover);
        steps.appendLedger(c, LedgerEntry.LOCK_TAKEOVER, null, null, "from " + holder.describe() + ": " + takeover);
    }

    /** Reports the {@code X <name>} lines that lead {@code out}; returns the rest. */
    private static String reportLeftovers(OperationContext context, SshTarget target, String out) {
        int at = 0;
        while (out.startsWith("X ", at)) {
            int end = out.indexOf('\n', at);
            String leftover = out.substring(at + 2, end < 0 ? out.length() : end);
            context.progress()
                    .info("Removing .deploy/" + leftover + " on " + target.name()
                            + ", left by an interrupted operation");
            at = end < 0 ? out.length() : end + 1;
        }
        return out.substring(at);
    }

    private static String text(LockInfo info) throws IOException {
        return info == null ? "" : Json.mapper().writeValueAsString(info);
    }

    @Override
    protected void replace(LockInfo current, LockInfo next) throws IOException {
        String expected = text(current);
        String wanted = text(next);
        ControlShell.Result swap =
                steps.attempt("renew the lock", c -> steps.script(c, Scripts.SWAP_LOCK, "lock", expected, wanted));
        if (swap.status() == 3) {
            if (swap.out().equals(wanted)) {
                return; // our own swap, retried after its answer was lost
            }
            throw lostTo(target.name(), inspectOutput.lock(swap.out()));
        }
        if (!swap.ok()) {
            throw steps.failed("renew the lock", swap);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        String mine = text(info());
        changed.run();
        try {
            steps.attempt("unlock", c -> steps.script(c, Scripts.SWAP_LOCK, "unlock", mine, ""));
        } finally {
            released();
        }
    }
}

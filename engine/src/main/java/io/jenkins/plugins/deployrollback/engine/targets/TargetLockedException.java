package io.jenkins.plugins.deployrollback.engine.targets;

/** Another operation holds the target's lock. Nothing was changed. */
public class TargetLockedException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    private final transient LockInfo holder;

    /**
     * @param orphanedHook true when the holder is gone but the hook it started still runs here
     */
    public TargetLockedException(String target, LockInfo holder, String lockFile, boolean orphanedHook) {
        super("Target " + target + " is locked by " + holder.describe() + ". Nothing was changed. "
                + (orphanedHook
                        ? "Its hook " + holder.hook().name() + " (pid "
                                + holder.hook().pid()
                                + ") still runs on this machine although the operation that started it is gone: wait for it to"
                                + " finish (the lock is taken over then), or stop it if it hangs."
                        : "Wait for that operation to end; if its process is gone on another machine, the lock is taken over"
                                + " once it expires, or remove " + lockFile + " by hand."));
        this.holder = holder;
    }

    /**
     * Several targets of an environment are locked: {@code message} names each with its holder;
     * {@code holder} is the holder of the first.
     */
    public TargetLockedException(String message, LockInfo holder) {
        super(message);
        this.holder = holder;
    }

    public LockInfo holder() {
        return holder;
    }
}

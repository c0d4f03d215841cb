package io.jenkins.plugins.deployrollback.engine.target;

/** Another operation holds the target's lock. Nothing was changed. */
public class TargetLockedException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    private final transient LockInfo holder;

    public TargetLockedException(String target, LockInfo holder, String lockFile) {
        super("Target " + target + " is locked by " + holder.describe()
                + ". Nothing was changed. Wait for that operation to end; "
                + "if its process is gone on another machine, the lock is taken over once it expires, or remove "
                + lockFile + " by hand.");
        this.holder = holder;
    }

    public LockInfo holder() {
        return holder;
    }
}

package io.jenkins.plugins.deployrollback.engine.targets;

import java.io.IOException;

/** A held target lock. Closing it releases it (only if it is still ours). */
public interface TargetLock extends AutoCloseable {
    LockInfo info();

    /** Pushes the expiry forward; called between stages of a long operation. */
    void refresh() throws IOException;

    @Override
    void close() throws IOException;
}

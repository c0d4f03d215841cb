package io.jenkins.plugins.deployrollback.run;

import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshConnectionPool;
import java.time.Duration;

/**
 * The SSH connections this JVM keeps between operations: on the controller, for "Roll back to this
 * build" and its confirmation page (which asks the hosts first, so the rollback that follows logs in
 * to none); on an agent, for the steps that run there. A connection serves only a later operation
 * with the same host, port, user, key and known hosts, after its host key is checked again; see
 * {@link SshConnectionPool}. System properties (read where the engine runs):
 * {@code io.jenkins.plugins.deployrollback.run.Connections.maxIdle} (default 64) and
 * {@code ….idleSeconds} (default 300).
 */
public final class Connections {
    private static final String PREFIX = Connections.class.getName();
    private static SshConnectionPool pool;

    private Connections() {}

    /** This JVM's pool, made on first use. */
    public static synchronized SshConnectionPool pool() {
        if (pool == null) {
            pool = new SshConnectionPool(
                    Integer.getInteger(PREFIX + ".maxIdle", SshConnectionPool.DEFAULT_MAX_IDLE),
                    Duration.ofSeconds(
                            Long.getLong(PREFIX + ".idleSeconds", SshConnectionPool.DEFAULT_IDLE_EXPIRY.toSeconds())));
        }
        return pool;
    }

    /** Closes every idle connection of this JVM, at shutdown; the next operation makes a new pool. */
    public static synchronized void closeAll() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}

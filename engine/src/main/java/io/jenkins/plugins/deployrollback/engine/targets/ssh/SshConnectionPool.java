package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * SSH connections kept open between operations, for a process that lives longer than one operation
 * (a Jenkins controller or agent): the second rollback of twenty hosts then costs no SSH handshake and
 * no login. Give it to targets with {@link SshTarget#withPool}.
 *
 * <ul>
 *   <li><b>Only an identical login is shared.</b> A connection serves a later target only with the same
 *       host, port, user, key, host key check and SSH settings; one operation's connection is never
 *       another's at the same time.
 *   <li><b>The host key is still checked.</b> Before each reuse the key the host showed at login is
 *       looked up in the target's known_hosts as it is now; a key removed since closes the connection,
 *       and a fresh one is opened and checked as usual.
 *   <li><b>A dead connection is never handed out.</b> Each reuse starts with one round trip through the
 *       connection's shell; one that does not answer is closed and replaced before the operation starts.
 *   <li><b>Bounded.</b> At most {@code maxIdle} connections wait, the oldest closed first; each is closed
 *       after {@code idleExpiry} without use. A connection still running a command (a hook abandoned by
 *       an interrupted operation) is closed, not kept.
 * </ul>
 */
public final class SshConnectionPool implements AutoCloseable {
    /** Idle connections kept at most, unless told otherwise. */
    public static final int DEFAULT_MAX_IDLE = 64;

    /** How long a connection waits for its next operation, unless told otherwise. */
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofMinutes(5);

    /** What must be equal for two targets to share a login. */
    private record Login(
            String host, int port, SshCredentials credentials, HostKeyVerification hostKeys, SshSettings settings) {
        static Login of(SshTarget target) {
            return new Login(target.host(), target.port(), target.credentials(), target.hostKeys(), target.settings());
        }
    }

    private record Idle(Login login, SshConnection connection, long since) {}

    private final int maxIdle;
    private final long idleNanos;
    private final LongSupplier nanoTime;
    private final Map<Login, Deque<Idle>> idle = new HashMap<>();
    private final Deque<Idle> byAge = new ArrayDeque<>();
    private ScheduledExecutorService expiry;
    private boolean closed;
    private long opened;
    private long reused;
    /** Scripts run on the connections this pool lent, counted when they come back. */
    private long scriptsRun;

    /** A pool of at most {@code maxIdle} idle connections, each closed after {@code idleExpiry} unused. */
    public SshConnectionPool(int maxIdle, Duration idleExpiry) {
        this(maxIdle, idleExpiry, System::nanoTime);
    }

    SshConnectionPool(int maxIdle, Duration idleExpiry, LongSupplier nanoTime) {
        if (maxIdle < 1 || maxIdle > 10_000) {
            throw new IllegalArgumentException(
                    "SSH pool size " + maxIdle + " is out of range: keep 1 to 10000 idle connections");
        }
        if (idleExpiry == null || idleExpiry.isNegative() || idleExpiry.isZero()) {
            throw new IllegalArgumentException(
                    "SSH pool idle expiry " + idleExpiry + " is invalid: give a positive duration");
        }
        this.maxIdle = maxIdle;
        this.idleNanos = idleExpiry.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime);
    }

    /**
     * A logged-in connection for {@code target}: an idle one that still answers and whose host key is
     * still trusted, or a new one.
     */
    SshConnection take(SshTarget target, SecretMask mask, Consumer<String> accepted) throws IOException {
        Login login = Login.of(target);
        while (true) {
            Idle candidate;
            synchronized (this) {
                Deque<Idle> waiting = idle.get(login);
                candidate = waiting == null ? null : waiting.peekLast();
                if (candidate != null) {
                    byAge.remove(candidate);
                    forget(candidate);
                }
            }
            if (candidate == null) {
                SshConnection fresh = SshConnection.open(target, mask, accepted);
                synchronized (this) {
                    opened++;
                }
                return fresh;
            }
            SshConnection connection = candidate.connection();
            connection.serve(target);
            if (stillTrusted(target, connection) && connection.answers()) {
                synchronized (this) {
                    reused++;
                }
                return connection;
            }
            connection.close();
        }
    }

    private static boolean stillTrusted(SshTarget target, SshConnection connection) {
        try {
            return HostKeyCheck.of(target.hostKeys()).lists(SshConnection.knownHostsName(target), connection.hostKey());
        } catch (IOException | RuntimeException e) {
            return false; // known_hosts unreadable now: log in afresh, which says why
        }
    }

    /**
     * Takes {@code connection} back after an operation. It waits for the next one only when nothing runs
     * on it; otherwise, or when the pool is closed or full of younger ones, it is closed.
     */
    void give(SshConnection connection) {
        long ran = connection.takeScriptsRun();
        synchronized (this) {
            scriptsRun += ran;
        }
        connection.closeSftp();
        if (!connection.quiet()) {
            connection.close();
            return;
        }
        List<SshConnection> evicted = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                evicted.add(connection);
            } else {
                Idle entry = new Idle(Login.of(connection.target()), connection, nanoTime.getAsLong());
                idle.computeIfAbsent(entry.login(), k -> new ArrayDeque<>()).addLast(entry);
                byAge.addLast(entry);
                while (byAge.size() > maxIdle) {
                    evicted.add(removeOldest());
                }
                scheduleExpiry();
            }
        }
        evicted.forEach(SshConnection::close);
    }

    private SshConnection removeOldest() {
        Idle oldest = byAge.pollFirst();
        forget(oldest);
        return oldest.connection();
    }

    /** Takes {@code entry}, already out of {@link #byAge}, out of its login's queue. */
    private void forget(Idle entry) {
        Deque<Idle> waiting = idle.get(entry.login());
        waiting.remove(entry);
        if (waiting.isEmpty()) {
            idle.remove(entry.login());
        }
    }

    private void scheduleExpiry() {
        if (expiry == null) {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "deploy-rollback SSH pool expiry");
                thread.setDaemon(true);
                return thread;
            });
            timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), idleNanos / 4);
            timer.scheduleWithFixedDelay(this::expireIdle, period, period, TimeUnit.NANOSECONDS);
            expiry = timer;
        }
    }

    /** Closes every connection idle for the expiry or longer; returns how many. */
    int expireIdle() {
        List<SshConnection> expired = new ArrayList<>();
        synchronized (this) {
            long now = nanoTime.getAsLong();
            for (Iterator<Idle> it = byAge.iterator(); it.hasNext(); ) {
                Idle entry = it.next();
                if (now - entry.since() < idleNanos) {
                    break;
                }
                it.remove();
                forget(entry);
                expired.add(entry.connection());
            }
        }
        expired.forEach(SshConnection::close);
        return expired.size();
    }

    /** How many connections wait now. */
    public synchronized int idleCount() {
        return byAge.size();
    }

    /** How many connections this pool has opened, and how many times one was reused, so far. */
    public synchronized String describe() {
        return opened + " opened, " + reused + " reused, " + byAge.size() + " idle (at most " + maxIdle
                + ", closed after " + Duration.ofNanos(idleNanos).toSeconds() + " s unused)";
    }

    synchronized long opened() {
        return opened;
    }

    synchronized long reused() {
        return reused;
    }

    /** How many of the engine's scripts ran on this pool's connections, as they were given back. */
    synchronized long scriptsRun() {
        return scriptsRun;
    }

    /** Closes every idle connection; connections in use are closed when their operation gives them back. */
    @Override
    public void close() {
        List<SshConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            while (!byAge.isEmpty()) {
                all.add(removeOldest());
            }
            if (expiry != null) {
                expiry.shutdownNow();
            }
        }
        all.forEach(SshConnection::close);
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;

/**
 * Hosts {@code web-1} to {@code web-N}, each a real {@link SshServer}, started together in a temporary
 * folder before each test and all stopped after it. As a JUnit rule:
 * {@code @Rule public SshServers hosts = new SshServers(3);}. Outside JUnit (a benchmark),
 * {@link #start(Path, int)} and {@link #close()}.
 */
public final class SshServers extends ExternalResource implements AutoCloseable {
    /** Starting one is mostly waiting for ssh-keygen and sshd, so more at once than there are cores. */
    private static final int STARTING_AT_ONCE = 8;

    private final int count;
    private final boolean ownAddresses;
    private final TemporaryFolder temp = new TemporaryFolder();
    private List<SshServer> servers = List.of();

    public SshServers(int count) {
        this(count, false);
    }

    /**
     * {@code count} servers; with {@code ownAddresses} each listens on its own loopback address
     * ({@code web-1} on 127.0.0.11, {@code web-2} on 127.0.0.12, …), so that targets differ by host as
     * real ones do and a service per host can listen on the same port.
     */
    public SshServers(int count, boolean ownAddresses) {
        if (count < 1 || count > 200) {
            throw new IllegalArgumentException("Cannot start " + count + " SSH servers: give 1 to 200");
        }
        this.count = count;
        this.ownAddresses = ownAddresses;
    }

    /** The loopback address of server {@code i} (1-based) started with own addresses. */
    public static String addressOf(int i) {
        return "127.0.0." + (10 + i);
    }

    /** {@code count} servers in {@code base}, started; the caller closes them. */
    public static SshServers start(Path base, int count) throws IOException, InterruptedException {
        SshServers hosts = new SshServers(count);
        hosts.servers = startAll(base, count, false);
        return hosts;
    }

    @Override
    protected void before() throws Throwable {
        temp.create();
        servers = startAll(temp.getRoot().toPath(), count, ownAddresses);
    }

    @Override
    protected void after() {
        try {
            close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the SSH servers", e);
        } finally {
            temp.delete();
        }
    }

    private static List<SshServer> startAll(Path base, int count, boolean ownAddresses)
            throws IOException, InterruptedException {
        // Here, not only in the workers: a skip thrown on a worker thread would reach JUnit as an error.
        SshServer.requirePrograms();
        ExecutorService starting = Executors.newFixedThreadPool(Math.min(count, STARTING_AT_ONCE));
        try {
            List<Future<SshServer>> futures = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String name = "web-" + i;
                String host = ownAddresses ? addressOf(i) : SshServer.LOOPBACK;
                futures.add(starting.submit(() -> SshServer.start(base, name, host)));
            }
            List<SshServer> started = new ArrayList<>();
            IOException failure = null;
            for (Future<SshServer> future : futures) {
                try {
                    started.add(future.get());
                } catch (ExecutionException e) {
                    IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                closeAll(started);
                throw failure;
            }
            return List.copyOf(started);
        } finally {
            starting.shutdownNow();
        }
    }

    /** Server {@code index}, counted from 0: {@code get(0)} is web-1. */
    public SshServer get(int index) {
        return servers.get(index);
    }

    public List<SshServer> all() {
        return servers;
    }

    /** A target per server, named web-1 to web-N, as {@link SshServer#target(String)} makes them. */
    public List<SshTarget> targets() {
        return servers.stream().map(server -> server.target(server.name())).toList();
    }

    /** Stops every server, even when stopping one fails. */
    @Override
    public void close() throws IOException, InterruptedException {
        closeAll(servers);
    }

    private static void closeAll(List<SshServer> servers) throws IOException, InterruptedException {
        IOException failure = null;
        for (SshServer server : servers) {
            try {
                server.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers the tests start (sshd, nginx, Prometheus, HTTP services), and for ports that
 * nothing listens on.
 *
 * <p>A port is drawn at random from below the kernel's ephemeral range and checked free by binding it.
 * The kernel gives ports from the ephemeral range to every outgoing connection, of this JVM and of every
 * other process, so a port asked for free from that range ({@code new ServerSocket(0)}) can be given to
 * a connection before the server binds it, or while a killed server waits to be restarted on it; and a
 * client connecting to a closed port of that range can be given the same port as its own and connect to
 * itself, which looks like a server answering. Below the range nothing hands ports out: only another
 * program binding the very same port can take one, which the servers' own bind retries cover.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 1_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default lower end, where the range cannot be read. */
    private static final int LINUX_DEFAULT_EPHEMERAL_LOW = 32_768;

    private FreePorts() {}

    /** A port free on {@code address} now, below the ephemeral range. */
    public static int on(String address) throws IOException {
        int below = ephemeralLow();
        if (below - LOWEST < 1_000) {
            // The ephemeral range was widened down to here: nothing better than asking for one.
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
                return socket.getLocalPort();
            }
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(address), port), 1);
                return port;
            } catch (BindException taken) {
                // in use: draw another
            }
        }
        throw new IOException("no free port on " + address + " between " + LOWEST + " and " + below + " in " + ATTEMPTS
                + " attempts");
    }

    /** A port on {@code address} that nothing listens on: connecting to it is refused. */
    public static int closed(String address) throws IOException {
        return on(address);
    }

    private static int ephemeralLow() {
        try {
            if (Files.isReadable(EPHEMERAL_RANGE)) {
                return Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
            }
            return LINUX_DEFAULT_EPHEMERAL_LOW;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a loopback port that serves whatever release {@code <root>/current} points
 * to, the way a web server with its document root on {@code current} does.
 *
 * <ul>
 *   <li>{@code GET /health} answers with the status written in the release's {@code status} file (200
 *       when there is none);
 *   <li>{@code GET /metrics} answers with the release's {@code metrics.prom} file (Prometheus text
 *       format), 404 when there is none, so a real Prometheus scraping this server sees what the live
 *       release says;
 *   <li>any other path answers with the release's {@code index.html}.
 * </ul>
 *
 * The release's {@code behaviour} file (Java properties) makes every answer but {@code /metrics}
 * misbehave, deterministically, counting the requests each release has served since it went live:
 * {@code errorEvery=N} answers every Nth request with 500 ({@code 10} is a 10 % error rate);
 * {@code errors=..x..} answers the requests marked {@code x} with 500, cycling through the pattern;
 * {@code healthyRequests=N} answers 500 to everything after the first N requests (a release that
 * degrades after the switch); {@code delayMs=N} delays every answer; {@code slowEvery=N} with
 * {@code slowMs=M} delays every Nth answer by M ms (for latency percentiles).
 */
public final class ReleaseServer implements AutoCloseable {
    static {
        // The JDK server leaves Nagle's algorithm on, so a kept-alive connection waits ~40 ms for a
        // delayed ACK before each answer: latencies would measure the test server, not the release.
        // Read once, when the JDK's server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    /** Requests served per live release, counted from 1. */
    private final Map<Path, AtomicInteger> served = new ConcurrentHashMap<>();

    public ReleaseServer(Path root) throws IOException {
        this(root, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A server for {@code root} listening on {@code address} (a port of 0 takes a free one). */
    public ReleaseServer(Path root, InetSocketAddress address) throws IOException {
        server = HttpServer.create(address, 0);
        server.createContext("/", exchange -> {
            Path current = root.resolve("current");
            String path = exchange.getRequestURI().getPath();
            int status;
            byte[] body;
            String type = "text/plain; charset=utf-8";
            if (!Files.isDirectory(current)) {
                status = 503;
                body = "no release is live\n".getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/metrics")) {
                Path metrics = current.resolve("metrics.prom");
                status = Files.exists(metrics) ? 200 : 404;
                body = Files.exists(metrics) ? Files.readAllBytes(metrics) : new byte[0];
                type = "text/plain; version=0.0.4; charset=utf-8";
            } else {
                Path release = current.toRealPath();
                int request = served.computeIfAbsent(release, r -> new AtomicInteger())
                        .incrementAndGet();
                Properties behaviour = behaviour(current);
                delay(behaviour, request);
                if (fails(behaviour, request)) {
                    status = 500;
                    body = ("request " + request + " of " + release.getFileName() + " failed on purpose\n")
                            .getBytes(StandardCharsets.UTF_8);
                } else if (path.equals("/health")) {
                    Path statusFile = current.resolve("status");
                    status = Files.exists(statusFile)
                            ? Integer.parseInt(Files.readString(statusFile).trim())
                            : 200;
                    body = ("health of " + release.getFileName() + "\n").getBytes(StandardCharsets.UTF_8);
                } else {
                    Path index = current.resolve("index.html");
                    status = Files.exists(index) ? 200 : 404;
                    body = Files.exists(index) ? Files.readAllBytes(index) : new byte[0];
                }
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    private static Properties behaviour(Path current) throws IOException {
        Properties behaviour = new Properties();
        Path file = current.resolve("behaviour");
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                behaviour.load(in);
            }
        }
        return behaviour;
    }

    private static boolean fails(Properties behaviour, int request) {
        int every = Integer.parseInt(behaviour.getProperty("errorEvery", "0"));
        if (every > 0 && request % every == 0) {
            return true;
        }
        String pattern = behaviour.getProperty("errors", "");
        if (!pattern.isEmpty() && pattern.charAt((request - 1) % pattern.length()) == 'x') {
            return true;
        }
        int healthy = Integer.parseInt(behaviour.getProperty("healthyRequests", "-1"));
        return healthy >= 0 && request > healthy;
    }

    private static void delay(Properties behaviour, int request) {
        long millis = Long.parseLong(behaviour.getProperty("delayMs", "0"));
        int slowEvery = Integer.parseInt(behaviour.getProperty("slowEvery", "0"));
        if (slowEvery > 0 && request % slowEvery == 0) {
            millis += Long.parseLong(behaviour.getProperty("slowMs", "0"));
        }
        if (millis > 0) {
            try {
                // The service's latency, not synchronisation: the answer is slow on purpose.
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One server per root, {@code roots[i]} on {@code addresses[i]}, all on the same port (as one
     * service deployed to several hosts): the port is chosen free on every address.
     */
    public static List<ReleaseServer> onAddresses(List<Path> roots, List<String> addresses) throws IOException {
        IOException lastFailure = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = FreePorts.on(addresses.get(0));
            List<ReleaseServer> started = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < roots.size(); i++) {
                    started.add(new ReleaseServer(
                            roots.get(i), new InetSocketAddress(InetAddress.getByName(addresses.get(i)), port)));
                }
                return started;
            } catch (java.net.BindException e) {
                started.forEach(ReleaseServer::close);
                lastFailure = e;
            }
        }
        throw new IOException("found no port free on every one of " + addresses, lastFailure);
    }

    public URI url(String path) {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + path);
    }

    /** The loopback port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real HTTP server on a loopback port that serves whatever release {@code <root>/current} points
 * to, the way a web server with its document root on {@code current} does. {@code GET /health}
 * answers with the status written in the release's {@code status} file (200 when there is none), and
 * {@code GET /} with the release's {@code index.html}.
 */
public final class ReleaseServer implements AutoCloseable {
    private final HttpServer server;

    public ReleaseServer(Path root) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path current = root.resolve("current");
            int status;
            byte[] body;
            if (!Files.isDirectory(current)) {
                status = 503;
                body = "no release is live\n".getBytes(StandardCharsets.UTF_8);
            } else if (exchange.getRequestURI().getPath().equals("/health")) {
                Path statusFile = current.resolve("status");
                status = Files.exists(statusFile)
                        ? Integer.parseInt(Files.readString(statusFile).trim())
                        : 200;
                body = ("health of " + current.toRealPath().getFileName() + "\n").getBytes(StandardCharsets.UTF_8);
            } else {
                Path index = current.resolve("index.html");
                status = Files.exists(index) ? 200 : 404;
                body = Files.exists(index) ? Files.readAllBytes(index) : new byte[0];
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

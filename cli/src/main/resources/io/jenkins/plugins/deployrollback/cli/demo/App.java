import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The demonstration's web app: serves public/index.html on / and its health on /health, from the
 * release folder it was started in. Release 3 ships with healthy=false: its /health answers 500.
 * Usage: java App.java PORT READY_FILE
 */
public class App {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Properties release = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("release.properties"))) {
            release.load(in);
        }
        boolean healthy = Boolean.parseBoolean(release.getProperty("healthy", "true"));
        byte[] page = Files.readAllBytes(Path.of("public/index.html"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/health", exchange -> respond(exchange, healthy ? 200 : 500,
                healthy ? "ok\n" : "error: cannot reach the payments service (connection pool exhausted)\n"));
        server.createContext("/", exchange -> respond(exchange, 200, new String(page, StandardCharsets.UTF_8)));
        server.start();
        Files.writeString(Path.of(args[1]), ProcessHandle.current().pid() + "\n");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

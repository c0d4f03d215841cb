package io.jenkins.plugins.deployrollback.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus for gate tests: Debian's {@code /usr/bin/prometheus} (package {@code prometheus})
 * on a free loopback port, with its own generated configuration and an empty data folder, scraping
 * {@code GET /metrics} of the given loopback ports every second in one job, {@code app}. Point it at
 * the {@link ReleaseServer}s of a {@link Stack} and it sees what the live release's
 * {@code metrics.prom} says; {@link #awaitScrape(int)} waits until a scrape has seen what a test has
 * just deployed. {@link #close()} kills it.
 *
 * <p>Its files, in the folder given to {@link #start(Path, List)}: {@code prometheus.yml} and the data
 * folder {@code data/}.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final String PROMETHEUS = SystemProgram.PROMETHEUS.command();
    private static final String HOST = "127.0.0.1";
    public static final String JOB = "app";

    private static final Duration READY = Duration.ofSeconds(30);
    /**
     * Prometheus hands new targets to its scrapers at most every 5 s, so the first scrape after a start
     * comes 5 to 6 s late; later ones come every second.
     */
    private static final Duration SCRAPED = Duration.ofSeconds(30);

    private static final Duration GONE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int PORT_ATTEMPTS = 5;
    private static final int KEPT_LINES = 60;

    /** Servers not yet closed, killed when the JVM ends so that a test that forgot one leaves no Prometheus behind. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "stop test Prometheus servers"));
    }

    private final Path dir;
    private final int port;
    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Writes {@code dir/prometheus.yml} for a job scraping {@code 127.0.0.1:<port>} for every port of
     * {@code targets}, starts Prometheus on a free loopback port with its data in {@code dir/data}, and
     * returns once it answers ready.
     */
    public static PrometheusServer start(Path dir, List<Integer> targets) throws IOException, InterruptedException {
        SystemProgram.require(SystemProgram.PROMETHEUS);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(
                    "Prometheus has nothing to scrape: give the port of at least one server");
        }
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, config(targets));
        BindException portTaken = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            // Free when asked, but another process may take it before Prometheus binds it: then try another.
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(
                            PROMETHEUS,
                            "--config.file=" + config,
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--web.listen-address=" + HOST + ":" + port)
                    .redirectErrorStream(true);
            PrometheusServer server = new PrometheusServer(dir, port, builder.start());
            RUNNING.add(server.process);
            server.process.getOutputStream().close();
            server.readOutput();
            try {
                server.awaitReady();
                return server;
            } catch (BindException e) {
                portTaken = e;
            } catch (IOException | InterruptedException | RuntimeException e) {
                server.close();
                throw e;
            }
        }
        throw new IOException("Prometheus found no free port in " + PORT_ATTEMPTS + " attempts", portTaken);
    }

    private static String config(List<Integer> targets) {
        return String.join(
                "\n",
                "# A Prometheus for Deploy Rollback's gate tests, written by PrometheusServer.",
                "# Every second, so that a test waits about a second for what it deployed to be scraped.",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: " + JOB,
                "    static_configs:",
                "      - targets: ["
                        + targets.stream().map(p -> "'" + HOST + ":" + p + "'").collect(Collectors.joining(", "))
                        + "]",
                "");
    }

    private static int freePort() throws IOException {
        return FreePorts.on(HOST);
    }

    /** Reads what Prometheus logs, on a daemon thread: it must never block on a full pipe, and failures want it. */
    private void readOutput() {
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            remember(line);
                        }
                    } catch (IOException e) {
                        remember("(reading Prometheus' output failed: " + e + ")");
                    }
                },
                "prometheus output");
        reader.setDaemon(true);
        reader.start();
    }

    private synchronized void remember(String line) {
        lastLines.addLast(line);
        if (lastLines.size() > KEPT_LINES) {
            lastLines.removeFirst();
        }
    }

    /** The last lines Prometheus logged, for failure messages. */
    public synchronized String log() {
        return String.join("\n", lastLines);
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            if (!process.isAlive()) {
                process.waitFor(GONE.toMillis(), TimeUnit.MILLISECONDS); // its last lines are being read
                String message = "Prometheus exited with status " + process.exitValue() + " before it was ready on "
                        + HOST + ":" + port + ". It logged:\n" + log();
                if (log().contains("address already in use")) {
                    throw new BindException(message);
                }
                throw new IOException(message);
            }
            try {
                HttpResponse<Void> ready = client.send(
                        HttpRequest.newBuilder(url().resolve("/-/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Polled again below until the deadline.
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Prometheus was not ready on " + HOST + ":" + port + " within " + READY
                        + ". It logged:\n" + log());
            }
            Thread.sleep(POLL.toMillis()); // polling: Prometheus tells readiness only when asked
        }
    }

    /** {@code http://127.0.0.1:PORT}: what a Prometheus check's server is. */
    public URI url() {
        return URI.create("http://" + HOST + ":" + port);
    }

    public int port() {
        return port;
    }

    /** The label {@code instance} of the target on {@code targetPort}: {@code 127.0.0.1:PORT}. */
    public static String instance(int targetPort) {
        return HOST + ":" + targetPort;
    }

    /**
     * Waits until the target on {@code targetPort} has been scraped successfully by a scrape that began
     * after this call, so that what the target serves now is what a query sees now. Returns when that
     * scrape began (its samples' timestamp).
     */
    public Instant awaitScrape(int targetPort) throws IOException, InterruptedException {
        long after = Instant.now().toEpochMilli();
        String instance = "instance=\"" + instance(targetPort) + "\"";
        // timestamp() of the selector is when the scrape began; "up == 1" says that it succeeded.
        String query = "timestamp(up{" + instance + "}) and on(instance) up{" + instance + "} == 1";
        long deadline = System.nanoTime() + SCRAPED.toNanos();
        while (true) {
            JsonNode result = get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
                    .path("data")
                    .path("result");
            if (!result.isEmpty()) {
                long scraped = Math.round(
                        Double.parseDouble(result.get(0).path("value").get(1).asText()) * 1000);
                // Strictly later: Prometheus keeps milliseconds, so an equal one may have begun just before.
                if (scraped > after) {
                    return Instant.ofEpochMilli(scraped);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Prometheus did not scrape " + instance(targetPort) + " within " + SCRAPED
                        + ". Its targets: " + get("/api/v1/targets") + "\nIt logged:\n" + log());
            }
            Thread.sleep(POLL.toMillis()); // polling: Prometheus tells what it scraped only when asked
        }
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Prometheus answered " + pathAndQuery + " with HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        return Json.mapper().readTree(response.body());
    }

    /** Kills Prometheus (its data is a test's, nothing to flush) and returns once it is gone. Closing again does nothing. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(GONE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "Prometheus (pid " + process.pid() + ") still runs " + GONE + " after it was killed");
        }
        RUNNING.remove(process);
    }

    @Override
    public String toString() {
        return "Prometheus on " + HOST + ":" + port + " in " + dir;
    }
}

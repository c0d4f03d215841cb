package io.jenkins.plugins.deployrollback.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.FreePorts;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class HttpLatencySourceTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final List<AutoCloseable> servers = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final GateContext context = GateContext.of(
                    EnvironmentName.of("prod"), ReleaseId.of("r2"), Clock.systemUTC())
            .withPause(pauses::add);

    @After
    public void closeServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    public void measuresTheLatencyOfEveryAnsweredRequestInMilliseconds() throws Exception {
        ReleaseServer server = releaseServer("delayMs=25\n");
        HttpLatencySource source = HttpLatencySource.of(server.url("/health"), 5);

        double[] latencies = source.values(context);

        assertThat(latencies).hasSize(5);
        assertThat(Arrays.stream(latencies).boxed())
                .allSatisfy(ms -> assertThat(ms).isBetween(25.0, 5_000.0));
    }

    @Test
    public void waitsTheRequestIntervalBetweenRequestsThroughTheContext() throws Exception {
        ReleaseServer server = releaseServer("");
        HttpLatencySource source =
                new HttpLatencySource(server.url("/health"), 3, Duration.ofMillis(250), Duration.ofSeconds(2));

        source.values(context);

        assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
    }

    @Test
    public void requestsAnsweredWithAnErrorStatusStillCountAsLatencies() throws Exception {
        ReleaseServer server = releaseServer("errorEvery=2\n");

        double[] latencies = HttpLatencySource.of(server.url("/health"), 4).values(context);

        assertThat(latencies).hasSize(4);
    }

    @Test
    public void requestsWithoutAnAnswerWithinTheTimeoutDoNotCount() throws Exception {
        URI everySecondHangs = server(request -> request % 2 == 0);
        HttpLatencySource source = new HttpLatencySource(everySecondHangs, 4, null, Duration.ofMillis(200));

        double[] latencies = source.values(context);

        assertThat(latencies).hasSize(2);
    }

    @Test
    public void noAnswerAtAllIsAnErrorSayingWhy() throws Exception {
        URI hangs = server(request -> true);
        HttpLatencySource source = new HttpLatencySource(hangs, 2, null, Duration.ofMillis(200));

        assertThatThrownBy(() -> source.values(context))
                .isInstanceOf(IOException.class)
                .hasMessage("none of 2 requests to " + hangs + " was answered: 2 x no answer within 200 ms");
    }

    @Test
    public void refusedConnectionsAreAnErrorNamingTheUrl() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + FreePorts.closed("127.0.0.1") + "/health");
        HttpLatencySource source = HttpLatencySource.of(closed, 1);

        assertThatThrownBy(() -> source.values(context))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("none of 1 request to " + closed + " was answered: 1 x ");
    }

    @Test
    public void describesItselfByItsRequest() {
        assertThat(HttpLatencySource.of(URI.create("http://canary:8080/health"), 1)
                        .describe())
                .isEqualTo("latency of GET http://canary:8080/health");
    }

    @Test
    public void defaultsAreBackToBackRequestsOfAtMostFiveSeconds() {
        HttpLatencySource source = HttpLatencySource.of(URI.create("https://canary/health"), 60);

        assertThat(source.requestInterval()).isZero();
        assertThat(source.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    public void urlMustBeAbsoluteHttpOrHttps() {
        for (String url : new String[] {"ftp://canary/health", "/health", "canary:8080"}) {
            assertThatThrownBy(() -> HttpLatencySource.of(URI.create(url), 1))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("HTTP latency source has URL \"" + url + "\": use an absolute http:// or https:// URL");
        }
        assertThatThrownBy(() -> HttpLatencySource.of(null, 1))
                .hasMessage("HTTP latency source has URL (none): use an absolute http:// or https:// URL");
    }

    @Test
    public void requestCountMustBeFromOneTo100000() {
        URI url = URI.create("http://canary/health");
        for (int requests : new int[] {0, -1, 100_001}) {
            assertThatThrownBy(() -> HttpLatencySource.of(url, requests))
                    .hasMessage("HTTP latency source for http://canary/health sends " + requests
                            + " requests: use 1 to 100000");
        }
        assertThat(HttpLatencySource.of(url, 100_000).requests()).isEqualTo(100_000);
    }

    @Test
    public void intervalAndTimeoutMustBeSensibleDurations() {
        URI url = URI.create("http://canary/health");
        assertThatThrownBy(() -> new HttpLatencySource(url, 1, Duration.ofMillis(-1), null))
                .hasMessage("HTTP latency source for http://canary/health has request interval -1 ms:"
                        + " use 0s to 10m, such as 100ms");
        assertThatThrownBy(() -> new HttpLatencySource(url, 1, null, Duration.ZERO))
                .hasMessage(
                        "HTTP latency source for http://canary/health has timeout 0 ms: use 1ms to 10m, such as 2s");
        assertThatThrownBy(() -> new HttpLatencySource(url, 1, null, Duration.ofMinutes(11)))
                .hasMessage(
                        "HTTP latency source for http://canary/health has timeout 11 min 0 s: use 1ms to 10m, such as 2s");
    }

    /** A live release whose {@code behaviour} file is {@code behaviour}, served over real HTTP. */
    private ReleaseServer releaseServer(String behaviour) throws IOException {
        Path root = temp.newFolder().toPath();
        Path current = Files.createDirectories(root.resolve("current"));
        Files.writeString(current.resolve("index.html"), "release r2\n");
        Files.writeString(current.resolve("behaviour"), behaviour);
        ReleaseServer server = new ReleaseServer(root);
        servers.add(server);
        return server;
    }

    /** Which requests, counted from 1, a server never answers. */
    private interface Hangs {
        boolean on(int request);
    }

    /**
     * A server that holds the requests {@code hangs} picks until the test ends, each on its own thread
     * so that the others are answered at once: a service that stops answering some requests.
     */
    private URI server(Hangs hangs) throws IOException {
        CountDownLatch testOver = new CountDownLatch(1);
        AtomicInteger served = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            if (hangs.on(served.incrementAndGet())) {
                try {
                    testOver.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        servers.add(() -> {
            testOver.countDown();
            server.stop(0);
            threads.shutdownNow();
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }
}

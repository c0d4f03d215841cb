package io.jenkins.plugins.deployrollback.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.FreePorts;
import io.jenkins.plugins.deployrollback.engine.testing.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The Prometheus check and range source without Prometheus: their settings, and what they make of
 * answers from a tiny HTTP server that answers as Prometheus would (or would not).
 */
public class PrometheusCheckTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00.250Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final GateContext context = GateContext.of(EnvironmentName.of("staging"), ReleaseId.of("r2"), clock);
    private FakePrometheus prometheus;

    @Before
    public void startFakePrometheus() throws IOException {
        prometheus = new FakePrometheus();
    }

    @After
    public void stopFakePrometheus() {
        prometheus.close();
    }

    @Test
    public void defaultsAreInconclusiveOnNoDataAndFiveSecondTimeout() {
        PrometheusCheck check =
                PrometheusCheck.of("errors", URI.create("http://prometheus:9090"), "up", Threshold.atLeast(1));

        assertThat(check.noData()).isEqualTo(NoDataPolicy.INCONCLUSIVE);
        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(check.kind()).isEqualTo("prometheus");
    }

    @Test
    public void invalidSettingsAreRefusedSayingWhatToGiveInstead() {
        URI server = URI.create("http://prometheus:9090");
        Threshold bound = Threshold.atMost(0.05);

        assertThatThrownBy(() -> new PrometheusCheck("bad name", server, "up", bound, null, null, false))
                .hasMessage("Prometheus check name \"bad name\" is invalid: use letters, digits, '.', '_' or '-'"
                        + " (at most 64)");
        assertThatThrownBy(() -> new PrometheusCheck("errors", null, "up", bound, null, null, false))
                .hasMessage("Prometheus check errors has no server: give the base URL of Prometheus, such as"
                        + " http://prometheus:9090");
        assertThatThrownBy(() ->
                        new PrometheusCheck("errors", URI.create("prometheus:9090"), "up", bound, null, null, false))
                .hasMessage("Prometheus check errors has server \"prometheus:9090\": use the absolute http:// or"
                        + " https:// base URL of Prometheus, without query, such as http://prometheus:9090");
        assertThatThrownBy(() ->
                        new PrometheusCheck("errors", URI.create("ftp://prometheus"), "up", bound, null, null, false))
                .hasMessageContaining("use the absolute http:// or https:// base URL");
        assertThatThrownBy(() -> new PrometheusCheck(
                        "errors", URI.create("http://prometheus:9090/?x=1"), "up", bound, null, null, false))
                .hasMessageContaining("without query");
        assertThatThrownBy(() -> new PrometheusCheck("errors", server, " ", bound, null, null, false))
                .hasMessage("Prometheus check errors has no query: give a PromQL expression, such as"
                        + " sum(rate(http_errors_total[5m]))");
        assertThatThrownBy(() -> new PrometheusCheck("errors", server, "up\0", bound, null, null, false))
                .hasMessage("Prometheus check errors has an invalid query (3 characters): use at most 8192"
                        + " characters and no NUL");
        assertThatThrownBy(() -> new PrometheusCheck("errors", server, "u".repeat(8193), bound, null, null, false))
                .hasMessageContaining("(8193 characters): use at most 8192");
        assertThatThrownBy(() -> new PrometheusCheck("errors", server, "up", null, null, null, false))
                .hasMessage("Prometheus check errors has no threshold: give the bound every value must respect,"
                        + " such as <= 0.05");
        assertThatThrownBy(() -> new PrometheusCheck("errors", server, "up", bound, null, Duration.ZERO, false))
                .hasMessage("Prometheus check errors has timeout 0 ms: use 1ms to 10m, such as 10s");
        assertThatThrownBy(
                        () -> new PrometheusCheck("errors", server, "up", bound, null, Duration.ofMinutes(11), false))
                .hasMessage("Prometheus check errors has timeout 11 min 0 s: use 1ms to 10m, such as 10s");
    }

    @Test
    public void rangeSourceRefusesAMissingOrUnreasonableStep() {
        URI server = URI.create("http://prometheus:9090");

        assertThatThrownBy(() -> new PrometheusRangeSource(server, "latency", null, null, null))
                .hasMessage("Prometheus range source \"latency\" has no step: give the resolution of the range,"
                        + " such as 15s");
        assertThatThrownBy(() -> new PrometheusRangeSource(server, "latency", Duration.ZERO, null, null))
                .hasMessage("Prometheus range source \"latency\" has step 0 ms: use 1ms to 1h, such as 15s"
                        + " (Prometheus' scrape interval)");
        assertThatThrownBy(() -> new PrometheusRangeSource(server, "latency", Duration.ofHours(2), null, null))
                .hasMessageContaining("has step 2 h 0 min: use 1ms to 1h");
        assertThatThrownBy(() -> new PrometheusRangeSource(server, "", Duration.ofSeconds(15), null, null))
                .hasMessageStartingWith("Prometheus range source has no query");
        assertThatThrownBy(() -> new PrometheusRangeSource(
                        URI.create("/relative"), "latency", Duration.ofSeconds(15), null, null))
                .hasMessageContaining("use the absolute http:// or https:// base URL");
        PrometheusRangeSource defaults =
                new PrometheusRangeSource(server, "latency", Duration.ofSeconds(15), null, null);
        assertThat(defaults.period()).isEqualTo(PrometheusRangeSource.Period.SINCE_GATE_START);
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    public void unreachablePrometheusIsAMeasurementErrorNamingTheServer() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + closedPort());
        PrometheusCheck check = PrometheusCheck.of("errors", closed, "app_error_ratio", Threshold.atMost(0.05));

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.ERROR);
        assertThat(sample.summary())
                .startsWithIgnoringCase("Prometheus not reachable at " + closed + ": connection refused")
                .endsWith(": check the server URL and that Prometheus runs");
        assertThat(sample.measurements()).singleElement().satisfies(m -> {
            assertThat(m.result()).isEqualTo(SampleResult.ERROR);
            assertThat(m.subject()).isEqualTo("app_error_ratio");
            assertThat(m.observed()).startsWith("error: Prometheus not reachable");
        });
    }

    @Test
    public void unknownHostIsAMeasurementErrorNamingTheHost() throws Exception {
        URI unknown = URI.create("http://prometheus.invalid:9090");
        PrometheusCheck check = PrometheusCheck.of("errors", unknown, "app_error_ratio", Threshold.atMost(0.05));

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.ERROR);
        assertThat(sample.summary())
                .startsWith("Prometheus not reachable at " + unknown + ": unknown host prometheus.invalid");
    }

    @Test
    public void queryIsAskedAtTheContextsTimeKeepingTheServersPathPrefix() throws Exception {
        prometheus.answer(200, vector(series("{}", "0.01")));
        PrometheusCheck check = PrometheusCheck.of(
                "errors",
                prometheus.url("/prometheus/"),
                "sum(rate(errors_total{code=~\"5..\"}[5m])) / sum(rate(requests_total[5m]))",
                Threshold.atMost(0.05));

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.PASS);
        assertThat(sample.summary()).isEqualTo("0.01 <= 0.05");
        assertThat(prometheus.paths()).containsExactly("/prometheus/api/v1/query");
        assertThat(prometheus.parameters())
                .containsEntry("query", "sum(rate(errors_total{code=~\"5..\"}[5m])) / sum(rate(requests_total[5m]))")
                .containsEntry("time", "1740830400.250");
    }

    @Test
    public void brokenThresholdIsNamedByTheComparisonItBroke() throws Exception {
        prometheus.answer(200, vector(series("{\"instance\":\"web-1\"}", "97.5")));

        Sample atLeast = check(Threshold.atLeast(99)).measure(1, context);
        Sample greaterThan = check(Threshold.greaterThan(97.5)).measure(1, context);
        Sample lessThan = check(Threshold.lessThan(97.5)).measure(1, context);

        assertThat(atLeast.summary()).isEqualTo("{instance=\"web-1\"} 97.5 < 99");
        assertThat(greaterThan.summary()).isEqualTo("{instance=\"web-1\"} 97.5 <= 97.5");
        assertThat(lessThan.summary()).isEqualTo("{instance=\"web-1\"} 97.5 >= 97.5");
    }

    @Test
    public void seriesWithoutDataCountAsNoDataWhileTheOthersAreJudged() throws Exception {
        prometheus.answer(
                200,
                vector(
                        series("{\"instance\":\"web-1\"}", "0.01"),
                        series("{\"instance\":\"web-2\"}", "NaN"),
                        series("{\"instance\":\"web-3\"}", "+Inf")));

        Sample withInfinity = check(Threshold.atMost(0.05)).measure(1, context);

        assertThat(withInfinity.result()).isEqualTo(SampleResult.FAIL);
        assertThat(withInfinity.summary()).isEqualTo("{instance=\"web-3\"} +Inf > 0.05");
        assertThat(withInfinity.measurements())
                .extracting(Measurement::observed, Measurement::result)
                .containsExactly(
                        tuple("{instance=\"web-1\"} 0.01", SampleResult.PASS),
                        tuple("{instance=\"web-2\"} NaN", SampleResult.INCONCLUSIVE),
                        tuple("{instance=\"web-3\"} +Inf", SampleResult.FAIL));

        prometheus.answer(
                200, vector(series("{\"instance\":\"web-1\"}", "0.01"), series("{\"instance\":\"web-2\"}", "NaN")));

        Sample withoutInfinity = check(Threshold.atMost(0.05)).measure(2, context);

        assertThat(withoutInfinity.result()).isEqualTo(SampleResult.INCONCLUSIVE);
        assertThat(withoutInfinity.summary()).isEqualTo("no data (noData: inconclusive) for {instance=\"web-2\"}");
    }

    @Test
    public void manyBreakingSeriesAreCountedBeyondTheFirstFive() throws Exception {
        List<String> series = new java.util.ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            series.add(series("{\"instance\":\"web-" + i + "\"}", "0.2"));
        }
        prometheus.answer(200, vector(series.toArray(String[]::new)));

        Sample sample = check(Threshold.atMost(0.05)).measure(1, context);

        assertThat(sample.summary())
                .startsWith("{instance=\"web-1\"} 0.2 > 0.05; ")
                .endsWith("; and 3 more series");
        assertThat(sample.measurements()).hasSize(8);
    }

    @Test
    public void errorAnswerIsAMeasurementErrorWithPrometheusOwnReason() throws Exception {
        prometheus.answer(
                422,
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many"
                        + " samples into memory\"}");

        Sample sample = check(Threshold.atMost(0.05)).measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.ERROR);
        assertThat(sample.summary())
                .isEqualTo("Prometheus at " + prometheus.url("") + " answered HTTP 422 with an error: execution: query"
                        + " processing would load too many samples into memory");
    }

    @Test
    public void answerThatIsNotPrometheusIsAMeasurementErrorSuggestingTheBaseUrl() throws Exception {
        prometheus.answer(200, "<html><body>Grafana</body></html>");

        Sample sample = check(Threshold.atMost(0.05)).measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.ERROR);
        assertThat(sample.summary())
                .contains("answered something that is not its API's JSON (\"<html><body>Grafana</body></html>\")")
                .endsWith("is the base URL of Prometheus, such as http://prometheus:9090");
    }

    @Test
    public void proxyErrorIsAMeasurementErrorWithItsStatus() throws Exception {
        prometheus.answer(502, "Bad Gateway\n");

        Sample sample = check(Threshold.atMost(0.05)).measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.ERROR);
        assertThat(sample.summary())
                .isEqualTo("Prometheus at " + prometheus.url("") + " answered HTTP 502: \"Bad Gateway\"");
    }

    @Test
    public void rangeVectorIsAMeasurementErrorSayingHowToReduceIt() throws Exception {
        prometheus.answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");

        Sample sample = check(Threshold.atMost(0.05)).measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.ERROR);
        assertThat(sample.summary()).contains("returns a range vector").contains("avg_over_time");
    }

    @Test
    public void slowPrometheusIsAMeasurementErrorAfterTheTimeout() throws Exception {
        prometheus.hang();
        PrometheusCheck check = new PrometheusCheck(
                "errors",
                prometheus.url(""),
                "app_error_ratio",
                Threshold.atMost(0.05),
                null,
                Duration.ofMillis(200),
                false);

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.ERROR);
        assertThat(sample.summary())
                .startsWith("Prometheus at " + prometheus.url("") + " did not answer within 200 ms");
    }

    @Test
    public void interruptionIsNotAMeasurementButPropagates() {
        prometheus.hang();
        PrometheusCheck check = check(Threshold.atMost(0.05));

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> check.measure(1, context)).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    public void rangeBeforeTheGateIsAsLongAsTheGateHasRunAndEndsWhereItStarted() throws Exception {
        prometheus.answer(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                        + "{\"metric\":{\"instance\":\"web-1\"},\"values\":[[1,\"120\"],[2,\"NaN\"],[3,\"130\"]]},"
                        + "{\"metric\":{\"instance\":\"web-2\"},\"values\":[[1,\"110\"]]}]}}");
        GateContext started = context.startingAt(NOW.minusSeconds(90));
        PrometheusRangeSource source = new PrometheusRangeSource(
                prometheus.url(""),
                "latency_ms",
                Duration.ofMillis(1500),
                PrometheusRangeSource.Period.BEFORE_GATE_START,
                null);

        double[] values = source.values(started);

        assertThat(values).containsExactly(120, 130, 110);
        assertThat(prometheus.paths()).containsExactly("/api/v1/query_range");
        assertThat(prometheus.parameters())
                .containsEntry("query", "latency_ms")
                .containsEntry("start", String.valueOf(NOW.minusSeconds(180).toEpochMilli() / 1000) + ".250")
                .containsEntry("end", String.valueOf(NOW.minusSeconds(90).toEpochMilli() / 1000) + ".250")
                .containsEntry("step", "1.5");
    }

    @Test
    public void rangeThatCannotBeFetchedIsAnIOExceptionNamingTheSource() {
        prometheus.answer(
                400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"exceeded maximum resolution of 11,000"
                        + " points per timeseries. Try decreasing the query resolution (?step=XX)\"}");
        PrometheusRangeSource source =
                new PrometheusRangeSource(prometheus.url(""), "latency_ms", Duration.ofMillis(1), null, null);

        assertThatThrownBy(() -> source.values(context.startingAt(NOW.minus(Duration.ofHours(1)))))
                .isInstanceOf(IOException.class)
                .hasMessage("prometheus latency_ms since the gate: Prometheus at " + prometheus.url("")
                        + " answered HTTP 400 with an error: bad_data: exceeded maximum resolution of 11,000 points"
                        + " per timeseries. Try decreasing the query resolution (?step=XX)");
    }

    private PrometheusCheck check(Threshold threshold) {
        return PrometheusCheck.of("errors", prometheus.url(""), "app_error_ratio", threshold);
    }

    private static String vector(String... series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + String.join(",", series)
                + "]}}";
    }

    private static String series(String labels, String value) {
        return "{\"metric\":" + labels + ",\"value\":[1740830400.25,\"" + value + "\"]}";
    }

    /** A port on loopback that nothing listens on: asked for free, then let go. */
    private static int closedPort() throws IOException {
        return FreePorts.closed("127.0.0.1");
    }

    /** Answers every request with one status and body, or never, and remembers what it was asked. */
    private static final class FakePrometheus implements AutoCloseable {
        private final HttpServer server;
        private final List<URI> asked = new CopyOnWriteArrayList<>();
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile int status = 200;
        private volatile String body = "";
        private volatile boolean hang;

        FakePrometheus() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                asked.add(exchange.getRequestURI());
                if (hang) {
                    try {
                        // Never answers while the test runs: what a stuck Prometheus does.
                        released.await(1, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
        }

        void answer(int status, String body) {
            this.status = status;
            this.body = body;
        }

        void hang() {
            hang = true;
        }

        URI url(String path) {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        }

        List<String> paths() {
            return asked.stream().map(URI::getPath).distinct().toList();
        }

        /** The parameters of the last request, decoded. */
        Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            String query = asked.get(asked.size() - 1).getRawQuery();
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                parameters.put(
                        URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
            return parameters;
        }

        @Override
        public void close() {
            released.countDown();
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}

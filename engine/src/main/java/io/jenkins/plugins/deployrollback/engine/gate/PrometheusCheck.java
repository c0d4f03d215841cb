package io.jenkins.plugins.deployrollback.engine.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs an instant query through the Prometheus HTTP API ({@code GET <server>/api/v1/query}) and holds
 * every value it returns to {@code threshold}: a vector with several series fails when any series
 * breaks it, naming the series. An empty result, or NaN, is "no data" and counts as {@code noData}
 * says; a server that cannot be reached or answers an error is a measurement error.
 *
 * @param server the base URL of Prometheus, such as {@code http://prometheus:9090} (a path prefix is kept)
 * @param query a PromQL expression that returns an instant vector or a scalar
 * @param noData what an empty result or NaN counts as (default inconclusive: no data never passes
 *     unless told to)
 * @param timeout how long one query may take, connecting included (default 10 s)
 */
public record PrometheusCheck(
        String name,
        URI server,
        String query,
        Threshold threshold,
        NoDataPolicy noData,
        Duration timeout,
        boolean dryRun)
        implements Check {

    /**
     * What a query may take when not given, for an instant query and a canary's range query alike,
     * on the command line and in Pipelines: a healthy Prometheus answers a gate's query in well under
     * a second, and a sample that waits longer only delays the verdict.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Longer queries are almost certainly a mistake, and make URLs proxies refuse. */
    public static final int MAX_QUERY_LENGTH = 8192;
    /** A summary names at most this many breaking series; the measurements still list all of them. */
    private static final int NAMED_SERIES = 5;

    public PrometheusCheck {
        Gate.requireName("Prometheus check", name);
        String what = "Prometheus check " + name;
        Api.requireServer(what, server);
        Api.requireQuery(what, query);
        if (threshold == null) {
            throw new IllegalArgumentException(
                    what + " has no threshold: give the bound every value must respect, such as <= 0.05");
        }
        noData = noData == null ? NoDataPolicy.INCONCLUSIVE : noData;
        timeout = Api.requireTimeout(what, timeout);
    }

    /** A check of {@code query} on {@code server} against {@code threshold}, with the defaults. */
    public static PrometheusCheck of(String name, URI server, String query, Threshold threshold) {
        return new PrometheusCheck(name, server, query, threshold, null, null, false);
    }

    @Override
    public String kind() {
        return "prometheus";
    }

    /** One value of the result: the series' labels ({@code ""} for a scalar) and its number. */
    private record Value(String labels, double value) {
        String describe() {
            return labels.isEmpty() ? Api.format(value) : labels + " " + Api.format(value);
        }
    }

    @Override
    public Sample measure(int sample, GateContext context) throws InterruptedException {
        Instant now = context.clock().instant();
        List<Value> values;
        try {
            values = values(Api.get(server, "query", Map.of("query", query, "time", Api.time(now)), timeout));
        } catch (IOException e) {
            String why = e.getMessage();
            return new Sample(
                    SampleResult.ERROR,
                    why,
                    List.of(new Measurement(
                            sample, now, query, "error: " + why, threshold.describe(), SampleResult.ERROR)));
        }
        return judge(sample, now, values);
    }

    /** The values of an instant query's answer: one per series of a vector, or the scalar. */
    private List<Value> values(Api.Answer answer) throws IOException {
        JsonNode result = answer.data().path("result");
        switch (answer.data().path("resultType").asText()) {
            case "vector" -> {
                List<Value> values = new ArrayList<>();
                for (JsonNode series : result) {
                    values.add(new Value(Api.labels(series.path("metric")), Api.number(series.path("value"))));
                }
                return values;
            }
            case "scalar" -> {
                return List.of(new Value("", Api.number(result)));
            }
            case "matrix" ->
                throw new IOException("query " + Text.quote(query) + " returns a range vector, which "
                        + "cannot be held to a threshold: reduce it to one value per series, such as with "
                        + "avg_over_time(…[5m]) or rate(…[5m])");
            default ->
                throw new IOException("query " + Text.quote(query) + " returns "
                        + answer.data().path("resultType").asText("nothing") + ", not a number: use an expression "
                        + "that returns an instant vector or a scalar");
        }
    }

    private Sample judge(int sample, Instant now, List<Value> values) {
        String noDataText = "no data (noData: " + noData.name().toLowerCase(Locale.ROOT) + ")";
        if (values.isEmpty()) {
            return new Sample(
                    noData.result(),
                    noDataText,
                    List.of(new Measurement(
                            sample, now, query, "no data: empty result", threshold.describe(), noData.result())));
        }
        List<Measurement> measurements = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Value closest = null;
        for (Value value : values) {
            SampleResult result;
            if (Double.isNaN(value.value())) {
                result = noData.result();
                missing.add(value.labels());
            } else if (threshold.holds(value.value())) {
                result = SampleResult.PASS;
                if (closest == null || closerToBound(value.value(), closest.value())) {
                    closest = value;
                }
            } else {
                result = SampleResult.FAIL;
                broken.add(value.describe() + " " + brokenSymbol() + " " + Threshold.format(threshold.value()));
            }
            measurements.add(new Measurement(sample, now, query, value.describe(), threshold.describe(), result));
        }
        if (!broken.isEmpty()) {
            return new Sample(SampleResult.FAIL, named(broken), measurements);
        }
        if (missing.size() == values.size()) {
            return new Sample(noData.result(), noDataText, measurements);
        }
        if (!missing.isEmpty() && noData != NoDataPolicy.PASS) {
            return new Sample(noData.result(), noDataText + " for " + named(missing), measurements);
        }
        String passed = values.size() == 1
                ? closest.describe() + " " + threshold.describe()
                : "all " + values.size() + " series " + threshold.describe() + " (closest: " + closest.describe() + ")";
        return new Sample(SampleResult.PASS, passed, measurements);
    }

    /** The symbol that says how a value broke the threshold: {@code >} for a broken {@code <=}. */
    private String brokenSymbol() {
        return switch (threshold.comparison()) {
            case LESS_THAN -> ">=";
            case AT_MOST -> ">";
            case GREATER_THAN -> "<=";
            case AT_LEAST -> "<";
        };
    }

    /** True when {@code a} is nearer than {@code b} to breaking the threshold. */
    private boolean closerToBound(double a, double b) {
        return switch (threshold.comparison()) {
            case LESS_THAN, AT_MOST -> a > b;
            case GREATER_THAN, AT_LEAST -> a < b;
        };
    }

    private static String named(List<String> series) {
        if (series.size() <= NAMED_SERIES) {
            return String.join("; ", series);
        }
        return String.join("; ", series.subList(0, NAMED_SERIES)) + "; and " + (series.size() - NAMED_SERIES)
                + " more series";
    }

    /**
     * The part of the Prometheus HTTP API that the check and {@link PrometheusRangeSource} share: how
     * their settings are checked, how a request is sent, and how an answer is read. Every failure is an
     * {@link IOException} whose message says what went wrong in words a gate's evidence can show.
     */
    static final class Api {
        private Api() {}

        /** The successful answer's {@code data}. */
        record Answer(JsonNode data) {}

        static void requireServer(String what, URI server) {
            if (server == null) {
                throw new IllegalArgumentException(
                        what + " has no server: give the base URL of Prometheus, such as http://prometheus:9090");
            }
            if (!("http".equals(server.getScheme()) || "https".equals(server.getScheme()))
                    || server.getHost() == null
                    || server.getRawQuery() != null
                    || server.getRawFragment() != null) {
                throw new IllegalArgumentException(what + " has server " + Text.quote(server.toString())
                        + ": use the absolute http:// or https:// base URL of Prometheus, without query,"
                        + " such as http://prometheus:9090");
            }
        }

        static void requireQuery(String what, String query) {
            if (query == null || query.isBlank()) {
                throw new IllegalArgumentException(
                        what + " has no query: give a PromQL expression, such as sum(rate(http_errors_total[5m]))");
            }
            if (query.indexOf('\0') >= 0 || query.length() > MAX_QUERY_LENGTH) {
                throw new IllegalArgumentException(what + " has an invalid query (" + query.length()
                        + " characters): use at most " + MAX_QUERY_LENGTH + " characters and no NUL");
            }
        }

        static Duration requireTimeout(String what, Duration timeout) {
            timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException(
                        what + " has timeout " + Text.duration(timeout) + ": use 1ms to 10m, such as 10s");
            }
            return timeout;
        }

        /** {@code <server>/api/v1/<path>?<parameters>}, keeping a path prefix of the server's URL. */
        private static URI endpoint(URI server, String path, Map<String, String> parameters) {
            String base = server.toString().replaceAll("/+$", "");
            StringBuilder url = new StringBuilder(base).append("/api/v1/").append(path);
            char separator = '?';
            // In a fixed order, so that a URL in a log reads the same every time.
            for (Map.Entry<String, String> parameter : new java.util.TreeMap<>(parameters).entrySet()) {
                url.append(separator)
                        .append(parameter.getKey())
                        .append('=')
                        .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
                separator = '&';
            }
            return URI.create(url.toString());
        }

        /** Seconds since the epoch with milliseconds, the resolution Prometheus keeps. */
        static String time(Instant instant) {
            long millis = instant.toEpochMilli();
            return Math.floorDiv(millis, 1000) + "." + String.format(Locale.ROOT, "%03d", Math.floorMod(millis, 1000));
        }

        /** Seconds, as Prometheus takes a step: {@code 15}, {@code 0.5}. */
        static String seconds(Duration duration) {
            return java.math.BigDecimal.valueOf(duration.toMillis(), 3)
                    .stripTrailingZeros()
                    .toPlainString();
        }

        /**
         * Sends {@code GET <server>/api/v1/<path>?<parameters>} and returns the answer's data when
         * Prometheus answered {@code status: success}.
         *
         * @throws IOException naming the server when it could not be reached, did not answer in time,
         *     answered an error (with Prometheus' own errorType and error), or answered something else
         */
        static Answer get(URI server, String path, Map<String, String> parameters, Duration timeout)
                throws IOException, InterruptedException {
            URI url = endpoint(server, path, parameters);
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            HttpResponse<String> response;
            try {
                response = client.send(
                        HttpRequest.newBuilder(url)
                                .timeout(timeout)
                                .header("Accept", "application/json")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpTimeoutException e) {
                throw new IOException(
                        "Prometheus at " + Urls.display(server) + " did not answer within " + Text.duration(timeout)
                                + ": check that it runs and is not overloaded, or give the check a longer timeout");
            } catch (ConnectException e) {
                throw new IOException("Prometheus not reachable at " + Urls.display(server) + ": " + cause(e, server)
                        + ": check the server URL and that Prometheus runs");
            } catch (IOException e) {
                throw new IOException(
                        "Prometheus at " + Urls.display(server) + " could not be asked: " + cause(e, server));
            }
            JsonNode body = null;
            try {
                body = Json.mapper().readTree(response.body());
            } catch (JsonProcessingException e) {
                // Not JSON: a proxy's error page, or a server that is not Prometheus; said below.
            }
            boolean ok = response.statusCode() / 100 == 2;
            if (body != null
                    && body.isObject()
                    && "error".equals(body.path("status").asText())) {
                throw new IOException("Prometheus at " + Urls.display(server) + " answered"
                        + (ok ? "" : " HTTP " + response.statusCode()) + " with an error: "
                        + body.path("errorType").asText("unknown") + ": "
                        + body.path("error").asText("(no message)"));
            }
            if (!ok) {
                throw new IOException("Prometheus at " + Urls.display(server) + " answered HTTP "
                        + response.statusCode() + ": " + excerpt(response.body()));
            }
            if (body == null
                    || !"success".equals(body.path("status").asText())
                    || !body.path("data").isObject()) {
                throw new IOException(
                        "Prometheus at " + Urls.display(server) + " answered something that is not its API's "
                                + "JSON (" + excerpt(response.body()) + "): check that " + Urls.display(server)
                                + " is the base URL of Prometheus, such as http://prometheus:9090");
            }
            return new Answer(body.path("data"));
        }

        /** The number of a {@code [timestamp, "value"]} pair; NaN stands for no data. */
        static double number(JsonNode pair) throws IOException {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(1).isTextual()) {
                throw new IOException("Prometheus answered a value that is not [time, \"number\"]: " + pair);
            }
            String text = pair.get(1).asText();
            return switch (text) {
                case "NaN" -> Double.NaN;
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> {
                    try {
                        yield Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw new IOException("Prometheus answered a value that is not a number: " + Text.quote(text));
                    }
                }
            };
        }

        /**
         * A series as PromQL writes it, {@code app_error_ratio{instance="web-1", job="app"}}, or
         * {@code ""} for a series without labels.
         */
        static String labels(JsonNode metric) {
            Map<String, String> labels = new LinkedHashMap<>();
            metric.properties()
                    .forEach(
                            label -> labels.put(label.getKey(), label.getValue().asText()));
            String name = labels.remove("__name__");
            if (name == null && labels.isEmpty()) {
                return ""; // an aggregate such as sum(…): the value speaks for itself
            }
            List<String> pairs = new ArrayList<>();
            labels.forEach((key, value) -> pairs.add(key + "=\"" + escape(value) + "\""));
            return (name == null ? "" : name) + "{" + String.join(", ", pairs) + "}";
        }

        /** A number as Prometheus writes it, infinities included. */
        static String format(double value) {
            if (Double.isInfinite(value)) {
                return value > 0 ? "+Inf" : "-Inf";
            }
            return Double.isNaN(value) ? "NaN" : Threshold.format(value);
        }

        private static String escape(String value) {
            return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        }

        /**
         * Why a request could not be sent. The JDK's HTTP client often wraps the socket's reason in
         * exceptions without a message (a refused connection is a bare ConnectException on Java 17),
         * so the reason is looked for in the causes.
         */
        private static String cause(Throwable e, URI server) {
            String message = null;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.nio.channels.UnresolvedAddressException
                        || t instanceof java.net.UnknownHostException) {
                    return "unknown host " + server.getHost();
                }
                if (message == null && t.getMessage() != null && !t.getMessage().isBlank()) {
                    message = t.getMessage();
                }
            }
            if (message != null) {
                return message;
            }
            return e instanceof ConnectException
                    ? "connection refused"
                    : e.getClass().getSimpleName();
        }

        private static String excerpt(String body) {
            String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
            if (text.isEmpty()) {
                return "an empty body";
            }
            return Text.quote(text.length() > 200 ? text.substring(0, 200) + "…" : text);
        }
    }
}

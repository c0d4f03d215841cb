package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.gate.ApprovalCheck;
import io.jenkins.plugins.deployrollback.engine.gate.CanaryCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import io.jenkins.plugins.deployrollback.engine.gate.CommandCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.gate.GateWindow;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import io.jenkins.plugins.deployrollback.engine.gate.HttpLatencySource;
import io.jenkins.plugins.deployrollback.engine.gate.InconclusiveAction;
import io.jenkins.plugins.deployrollback.engine.gate.NoDataPolicy;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusCheck;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusRangeSource;
import io.jenkins.plugins.deployrollback.engine.gate.SampleSource;
import io.jenkins.plugins.deployrollback.engine.gate.TargetLatencySource;
import io.jenkins.plugins.deployrollback.engine.gate.Threshold;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The gates of one environment ({@code gates:}, each a window and a list of checks, every check a
 * one-key map naming its kind) and how their verdicts are acted on ({@code onInconclusive},
 * {@code approvers}, {@code approvalTimeout}, {@code verifyAfterRollback}). Every value is checked
 * here, at its own key, by the engine's rule where the engine has one: a bad value is reported at its
 * line, not when the gate runs after the switch.
 */
final class GateConfig {
    /** The environment's keys read here. */
    static final Set<String> ENVIRONMENT_KEYS =
            Set.of("gates", "onInconclusive", "approvers", "approvalTimeout", "verifyAfterRollback");

    static final List<String> KINDS = List.of("http", "prometheus", "command", "canary", "approval");

    /**
     * What a Prometheus query may take, and what its "no data" counts as, when not given. No data is
     * inconclusive, never a pass: an empty result says nothing about the release.
     */
    static final Duration DEFAULT_PROMETHEUS_TIMEOUT = PrometheusCheck.DEFAULT_TIMEOUT;

    static final NoDataPolicy DEFAULT_NO_DATA = NoDataPolicy.INCONCLUSIVE;
    /** Prometheus' usual scrape interval: a finer step only repeats values. */
    static final Duration DEFAULT_STEP = Duration.ofSeconds(15);

    private static final Set<String> GATE = Set.of(
            "name",
            "initialDelay",
            "interval",
            "count",
            "failureLimit",
            "consecutiveErrorLimit",
            "inconclusiveLimit",
            "consecutiveSuccessLimit",
            "checks");
    private static final Set<String> HTTP = Set.of(
            "name",
            "url",
            "urls",
            "requests",
            "requestInterval",
            "timeout",
            "expectStatus",
            "maxErrorRate",
            "minAvailability",
            "maxLatency",
            "dryRun");
    private static final Set<String> LATENCY = Set.of("p50", "p95", "p99");
    private static final Set<String> PROMETHEUS =
            Set.of("name", "server", "query", "max", "min", "below", "above", "noData", "timeout", "dryRun");
    private static final List<String> BOUNDS = List.of("max", "min", "below", "above");
    private static final Set<String> COMMAND = Set.of("name", "run", "on", "timeout", "dryRun");
    private static final Set<String> CANARY =
            Set.of("name", "canary", "baseline", "worse", "confidence", "allowedEffect", "minSamples", "dryRun");
    private static final Set<String> HTTP_SOURCE = Set.of("url", "requests", "requestInterval", "timeout");
    private static final Set<String> PROMETHEUS_SOURCE = Set.of("prometheus", "query", "step", "period", "timeout");
    private static final Set<String> APPROVAL =
            Set.of("name", "question", "approvers", "timeout", "onNoAnswer", "dryRun");

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)\\s*%?");
    private static final URI PROBE_URL = URI.create("http://127.0.0.1/");

    private final ConfigReader reader;
    // The url of every source that names {host}: they need a strategy that switches in steps.
    private final List<YamlNode> targetHostUrls = new ArrayList<>();

    GateConfig(ConfigReader reader) {
        this.reader = reader;
    }

    /** The gates listed under {@code gates:}, in order; a gate with a problem is left out (and reported). */
    List<Gate> gates(YamlNode environment) {
        return reader.list(environment, "gates", false, this::gate);
    }

    /**
     * The {@code url} of every canary source read so far that names {@code {host}}: such a source
     * compares the targets switched with the others, so it needs a rolling or canary strategy.
     */
    List<YamlNode> targetHostUrls() {
        return List.copyOf(targetHostUrls);
    }

    /** How the environment acts on verdicts; the engine's defaults for what is not given. */
    GatePolicy policy(YamlNode environment) {
        InconclusiveAction onInconclusive = choice(
                environment,
                "onInconclusive",
                Map.of("ask", InconclusiveAction.ASK, "fail", InconclusiveAction.FAIL, "pass", InconclusiveAction.PASS),
                GatePolicy.DEFAULT.onInconclusive());
        List<String> approvers = names(environment, "approvers");
        Duration given = reader.duration(environment, "approvalTimeout", GatePolicy.DEFAULT_APPROVAL_TIMEOUT);
        Duration timeout = environment.map.containsKey("approvalTimeout")
                        && !reader.check(
                                environment.map.get("approvalTimeout"),
                                () -> new GatePolicy(InconclusiveAction.ASK, null, given, false))
                ? GatePolicy.DEFAULT_APPROVAL_TIMEOUT
                : given;
        boolean verifyAfterRollback =
                reader.bool(environment, "verifyAfterRollback", GatePolicy.DEFAULT.verifyAfterRollback());
        return reader.guard(environment, () -> new GatePolicy(onInconclusive, approvers, timeout, verifyAfterRollback));
    }

    // ---- gate ----------------------------------------------------------------------------------

    private Gate gate(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, GATE);
        int before = reader.problemCount();
        String name = reader.requiredString(node, "name", "a short name such as smoke or errors");
        probe(node, "name", () -> Gate.requireName("Gate", name));
        GateWindow window = window(node);
        List<Check> checks = reader.list(node, "checks", true, this::check);
        if (reader.problemCount() > before) {
            return null;
        }
        return reader.guard(node, () -> new Gate(name, checks, window));
    }

    /**
     * The gate's window, each value checked on its own by the engine's rule (with the others at their
     * defaults) so that a refusal points at its key; the failure and success limits are checked against
     * the count.
     */
    private GateWindow window(YamlNode node) {
        GateWindow d = GateWindow.DEFAULT;
        Duration initialDelay = reader.duration(node, "initialDelay", d.initialDelay());
        probe(node, "initialDelay", () -> d.withInitialDelay(initialDelay));
        Duration interval = reader.duration(node, "interval", d.interval());
        probe(node, "interval", () -> new GateWindow(null, interval, 1, 0, 0, 0, 0));
        Integer count = windowInteger(node, "count", d.count(), c -> new GateWindow(null, null, c, 0, 0, 0, 0));
        // When the count itself is wrong, the limits are checked against the largest count allowed.
        int limitsCount = count == null ? 10_000 : count;
        Integer failureLimit = windowInteger(
                node, "failureLimit", d.failureLimit(), v -> new GateWindow(null, null, limitsCount, v, 0, 0, 0));
        Integer consecutiveErrorLimit = windowInteger(
                node,
                "consecutiveErrorLimit",
                d.consecutiveErrorLimit(),
                v -> new GateWindow(null, null, 1, 0, v, 0, 0));
        Integer inconclusiveLimit = windowInteger(
                node, "inconclusiveLimit", d.inconclusiveLimit(), v -> new GateWindow(null, null, 1, 0, 0, v, 0));
        Integer consecutiveSuccessLimit = windowInteger(
                node,
                "consecutiveSuccessLimit",
                d.consecutiveSuccessLimit(),
                v -> new GateWindow(null, null, limitsCount, 0, 0, 0, v));
        if (count == null
                || failureLimit == null
                || consecutiveErrorLimit == null
                || inconclusiveLimit == null
                || consecutiveSuccessLimit == null) {
            return null;
        }
        return reader.guard(
                node,
                () -> new GateWindow(
                        initialDelay,
                        interval,
                        count,
                        failureLimit,
                        consecutiveErrorLimit,
                        inconclusiveLimit,
                        consecutiveSuccessLimit));
    }

    /** The whole number at {@code key}, {@code otherwise} when not given, null (and a problem) when wrong. */
    private Integer windowInteger(YamlNode node, String key, int otherwise, IntFunction<GateWindow> probe) {
        YamlNode given = node.map.get(key);
        if (given == null) {
            return otherwise;
        }
        Integer value = reader.integer(given);
        if (value == null || !reader.check(given, () -> probe.apply(value))) {
            return null;
        }
        return value;
    }

    // ---- checks --------------------------------------------------------------------------------

    /** A one-key map naming the kind of check: {@code - http: { url: … }}. */
    private Check check(YamlNode node) {
        if (node.kind != YamlNode.Kind.MAP || node.map.size() != 1) {
            reader.problem(
                    node,
                    (node.kind == YamlNode.Kind.MAP && !node.map.isEmpty()
                                    ? "names " + node.map.size() + " kinds (" + String.join(", ", node.map.keySet())
                                            + ")"
                                    : "is " + node.describeKind())
                            + ": each check is a map with one key naming its kind ("
                            + String.join(", ", KINDS)
                            + "), such as - http: { url: http://127.0.0.1:8080/health }; list several checks as"
                            + " separate items");
            return null;
        }
        reader.checkKeys(node, Set.copyOf(KINDS));
        Map.Entry<String, YamlNode> entry = node.map.entrySet().iterator().next();
        YamlNode body = entry.getValue();
        return switch (entry.getKey()) {
            case "http" -> http(body);
            case "prometheus" -> prometheus(body);
            case "command" -> command(body);
            case "canary" -> canary(body);
            case "approval" -> approval(body);
            default -> null;
        };
    }

    private Check http(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, HTTP);
        int before = reader.problemCount();
        String name = name(node, "http");
        List<URI> urls = urls(node);
        int requests = reader.integer(node, "requests", 1);
        Duration requestInterval = reader.duration(node, "requestInterval", HttpCheck.DEFAULT_REQUEST_INTERVAL);
        Duration timeout = reader.duration(node, "timeout", HttpCheck.DEFAULT_TIMEOUT);
        List<Integer> expectStatus = statuses(node);
        Double maxErrorRate = percent(node, "maxErrorRate");
        Double minAvailability = percent(node, "minAvailability");
        Map<String, Duration> latency = latency(node);
        boolean dryRun = reader.bool(node, "dryRun", false);
        String named = orProbeName(name, "http");
        // Each value by the engine's rule, alone, so that the message points at its key.
        if (!urls.isEmpty()) {
            probe(node, "urls", () -> httpCheck(named, urls, 1, null, null, null, null, null, Map.of()));
            probe(node, "url", () -> httpCheck(named, urls, 1, null, null, null, null, null, Map.of()));
        }
        probe(node, "requests", () -> httpCheck(named, null, requests, null, null, null, null, null, Map.of()));
        probe(
                node,
                "requestInterval",
                () -> new HttpCheck(
                        named,
                        List.of(PROBE_URL),
                        1,
                        requestInterval,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        false));
        probe(
                node,
                "timeout",
                () -> new HttpCheck(
                        named, List.of(PROBE_URL), 1, null, timeout, null, null, null, null, null, null, false));
        probe(node, "expectStatus", () -> httpCheck(named, null, 1, expectStatus, null, null, null, null, Map.of()));
        probe(node, "maxErrorRate", () -> httpCheck(named, null, 1, null, maxErrorRate, null, null, null, Map.of()));
        probe(
                node,
                "minAvailability",
                () -> httpCheck(named, null, 1, null, null, minAvailability, null, null, Map.of()));
        for (String p : LATENCY) {
            YamlNode block = node.map.get("maxLatency");
            if (block != null && block.kind == YamlNode.Kind.MAP && latency.containsKey(p)) {
                probe(
                        block,
                        p,
                        () -> httpCheck(named, null, 1, null, null, null, null, null, Map.of(p, latency.get(p))));
            }
        }
        if (reader.problemCount() > before) {
            return null;
        }
        return reader.guard(
                node,
                () -> new HttpCheck(
                        name,
                        urls,
                        requests,
                        requestInterval,
                        timeout,
                        expectStatus,
                        minAvailability,
                        maxErrorRate,
                        latency.get("p50"),
                        latency.get("p95"),
                        latency.get("p99"),
                        dryRun));
    }

    private static HttpCheck httpCheck(
            String name,
            List<URI> urls,
            int requests,
            List<Integer> expectStatus,
            Double maxErrorRate,
            Double minAvailability,
            Duration requestInterval,
            Duration timeout,
            Map<String, Duration> latency) {
        return new HttpCheck(
                name,
                urls == null ? List.of(PROBE_URL) : urls,
                requests,
                requestInterval,
                timeout,
                expectStatus,
                minAvailability,
                maxErrorRate,
                latency.get("p50"),
                latency.get("p95"),
                latency.get("p99"),
                false);
    }

    /** {@code url: …} or {@code urls: [ … ]}, exactly one of them. */
    private List<URI> urls(YamlNode node) {
        YamlNode one = node.map.get("url");
        YamlNode several = node.map.get("urls");
        if (one != null && several != null) {
            reader.problem(several, "give either url (one) or urls (a list), not both");
            return List.of();
        }
        if (one == null && several == null) {
            reader.problem(
                    node,
                    ConfigReader.path(node, "url"),
                    "is missing: give the http:// or https:// URL to GET, or urls: [ … ] for several");
            return List.of();
        }
        if (one != null) {
            URI uri = uri(one);
            return uri == null ? List.of() : List.of(uri);
        }
        return reader.list(node, "urls", true, this::uri);
    }

    /** {@code expectStatus: 200} or {@code expectStatus: [200, 204]}. */
    private List<Integer> statuses(YamlNode node) {
        YamlNode given = node.map.get("expectStatus");
        if (given == null) {
            return null;
        }
        if (given.kind == YamlNode.Kind.LIST) {
            if (given.list.isEmpty()) {
                reader.problem(given, "is empty: give the statuses that count as success, such as [200, 204]");
            }
            return reader.list(node, "expectStatus", false, reader::integer);
        }
        Integer status = reader.integer(given);
        return status == null ? null : List.of(status);
    }

    /** {@code maxLatency: { p50: 100ms, p95: 300ms, p99: 1s }}, any of the three. */
    private Map<String, Duration> latency(YamlNode node) {
        Map<String, Duration> latency = new LinkedHashMap<>();
        YamlNode block = node.map.get("maxLatency");
        if (block == null || !reader.isMap(block)) {
            return latency;
        }
        reader.checkKeys(block, LATENCY);
        if (block.map.isEmpty()) {
            reader.problem(block, "is empty: give one or more of p50, p95 and p99, such as { p95: 300ms }");
        }
        for (String p : List.of("p50", "p95", "p99")) {
            if (block.map.containsKey(p)) {
                Duration value = reader.duration(block.map.get(p));
                if (value != null) {
                    latency.put(p, value);
                }
            }
        }
        return latency;
    }

    private Check prometheus(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, PROMETHEUS);
        int before = reader.problemCount();
        String name = name(node, "prometheus");
        URI server = server(node, "server");
        String query = query(node, "query");
        Threshold threshold = threshold(node);
        NoDataPolicy noData = choice(
                node,
                "noData",
                Map.of("fail", NoDataPolicy.FAIL, "inconclusive", NoDataPolicy.INCONCLUSIVE, "pass", NoDataPolicy.PASS),
                DEFAULT_NO_DATA);
        Duration timeout = queryTimeout(node, "timeout");
        boolean dryRun = reader.bool(node, "dryRun", false);
        if (reader.problemCount() > before) {
            return null;
        }
        return reader.guard(node, () -> new PrometheusCheck(name, server, query, threshold, noData, timeout, dryRun));
    }

    /** Exactly one of {@code max} (≤), {@code min} (≥), {@code below} (<) and {@code above} (>). */
    private Threshold threshold(YamlNode node) {
        List<String> given = BOUNDS.stream().filter(node.map::containsKey).toList();
        if (given.isEmpty()) {
            reader.problem(
                    node,
                    "has no threshold: give exactly one of max (the value must be <= it), min (>=), below (<) or"
                            + " above (>), such as max: 0.05");
            return null;
        }
        if (given.size() > 1) {
            reader.problem(
                    node.map.get(given.get(1)),
                    ConfigReader.path(node, given.get(1)),
                    "give exactly one threshold, not both " + given.get(0) + " and " + given.get(1)
                            + ": a range is two checks");
            return null;
        }
        String key = given.get(0);
        Double value = number(node.map.get(key));
        if (value == null) {
            return null;
        }
        return switch (key) {
            case "max" -> Threshold.atMost(value);
            case "min" -> Threshold.atLeast(value);
            case "below" -> Threshold.lessThan(value);
            default -> Threshold.greaterThan(value);
        };
    }

    private Check command(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, COMMAND);
        int before = reader.problemCount();
        String name = name(node, "command");
        String run = reader.requiredString(node, "run", "the shell command to run, such as ./smoke-test.sh");
        CommandCheck.Where where = choice(
                node,
                "on",
                Map.of("engine", CommandCheck.Where.ENGINE, "targets", CommandCheck.Where.TARGETS),
                CommandCheck.Where.ENGINE);
        Duration timeout = reader.duration(node, "timeout", CommandCheck.DEFAULT_TIMEOUT);
        boolean dryRun = reader.bool(node, "dryRun", false);
        String named = orProbeName(name, "command");
        probe(node, "run", () -> new CommandCheck(named, run, null, null, false));
        probe(node, "timeout", () -> new CommandCheck(named, "true", null, timeout, false));
        if (reader.problemCount() > before) {
            return null;
        }
        return reader.guard(node, () -> new CommandCheck(name, run, where, timeout, dryRun));
    }

    private Check canary(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, CANARY);
        int before = reader.problemCount();
        String name = name(node, "canary");
        CanaryCheck.Worse worse = choice(
                node,
                "worse",
                Map.of(
                        "higher",
                        CanaryCheck.Worse.HIGHER,
                        "lower",
                        CanaryCheck.Worse.LOWER,
                        "either",
                        CanaryCheck.Worse.EITHER),
                CanaryCheck.Worse.HIGHER);
        double confidence = CanaryCheck.DEFAULT_CONFIDENCE;
        YamlNode confidenceNode = node.map.get("confidence");
        if (confidenceNode != null) {
            Double given = number(confidenceNode);
            if (given != null && !(given > 0 && given < 1)) {
                reader.problem(
                        confidenceNode,
                        Threshold.format(given)
                                + " is not a confidence level: use a number between 0 and 1 (both excluded), such as"
                                + " 0.95 or 0.98");
            } else if (given != null) {
                confidence = given;
            }
        }
        // Kayenta writes its tolerance as a fraction (0.25) and our other percentages may omit the
        // sign (5 is 5%): a bare number here would be read wrongly one way or the other.
        YamlNode effectNode = node.map.get("allowedEffect");
        String effectText = effectNode == null ? null : reader.string(effectNode);
        Double effect = null;
        if (effectText != null && !effectText.contains("%")) {
            reader.problem(
                    effectNode,
                    Text.quote(effectText) + " is ambiguous: write the allowed effect with a percent sign, such as 25%"
                            + " (the canary may be 25% worse than the baseline)");
        } else {
            effect = percent(node, "allowedEffect");
        }
        if (effect != null && effect > 1000) {
            reader.problem(
                    node.map.get("allowedEffect"),
                    Threshold.format(effect) + "%"
                            + " is out of range: use 0% (no difference tolerated) to 1000%, such as 25%");
        }
        double allowedEffect = effect == null ? CanaryCheck.DEFAULT_ALLOWED_EFFECT : effect / 100;
        int minSamples = reader.integer(node, "minSamples", CanaryCheck.DEFAULT_MIN_SAMPLES);
        if (node.map.containsKey("minSamples") && (minSamples < 1 || minSamples > 100_000)) {
            reader.problem(
                    node.map.get("minSamples"),
                    minSamples + " samples is out of range: use 1 to 100000 (50 or more for a meaningful comparison)");
        }
        SampleSource canary = source(node, "canary", minSamples, PrometheusRangeSource.Period.SINCE_GATE_START);
        SampleSource baseline = source(node, "baseline", minSamples, PrometheusRangeSource.Period.BEFORE_GATE_START);
        boolean dryRun = reader.bool(node, "dryRun", false);
        if (reader.problemCount() > before) {
            return null;
        }
        double chosenConfidence = confidence;
        return reader.guard(
                node,
                () -> new CanaryCheck(
                        name, canary, baseline, worse, chosenConfidence, allowedEffect, minSamples, dryRun));
    }

    /**
     * One side of a canary comparison: latencies of HTTP requests ({@code url:}) or a Prometheus range
     * query ({@code prometheus:}).
     */
    private SampleSource source(
            YamlNode check, String key, int minSamples, PrometheusRangeSource.Period defaultPeriod) {
        YamlNode node = check.map.get(key);
        if (node == null) {
            reader.problem(
                    check,
                    ConfigReader.path(check, key),
                    "is missing: give the " + key + "'s values, either { url: http://… } (latencies of HTTP"
                            + " requests) or { prometheus: http://…:9090, query: '…' } (a Prometheus range query)");
            return null;
        }
        if (!reader.isMap(node)) {
            return null;
        }
        boolean http = node.map.containsKey("url");
        boolean prometheus = node.map.containsKey("prometheus");
        if (http == prometheus) {
            reader.problem(
                    node,
                    (http ? "gives both url and prometheus" : "gives neither url nor prometheus")
                            + ": give url: (latencies of HTTP requests to it) or prometheus: with query: (a"
                            + " Prometheus range query), one of them");
            return null;
        }
        if (http) {
            reader.checkKeys(node, HTTP_SOURCE);
            YamlNode urlNode = node.map.get("url");
            if (urlNode.kind == YamlNode.Kind.SCALAR && TargetLatencySource.namesTargetHost(urlNode.scalar)) {
                return targetSource(node, urlNode, minSamples);
            }
            URI url = uri(urlNode);
            int requests = requests(node, minSamples);
            Duration requestInterval = reader.duration(node, "requestInterval", HttpCheck.DEFAULT_REQUEST_INTERVAL);
            Duration timeout = reader.duration(node, "timeout", HttpCheck.DEFAULT_TIMEOUT);
            if (url != null) {
                probe(node, "url", () -> new HttpLatencySource(url, 1, null, null));
            }
            probe(node, "requestInterval", () -> new HttpLatencySource(PROBE_URL, 1, requestInterval, null));
            probe(node, "timeout", () -> new HttpLatencySource(PROBE_URL, 1, null, timeout));
            return url == null
                    ? null
                    : reader.guard(node, () -> new HttpLatencySource(url, requests, requestInterval, timeout));
        }
        reader.checkKeys(node, PROMETHEUS_SOURCE);
        URI server = server(node, "prometheus");
        String query = query(node, "query");
        Duration step = reader.duration(node, "step", DEFAULT_STEP);
        boolean stepInRange = true;
        if (node.map.containsKey("step")
                && (step.compareTo(Duration.ofSeconds(1)) < 0 || step.compareTo(Duration.ofHours(1)) > 0)) {
            stepInRange = false;
            reader.problem(
                    node.map.get("step"),
                    Durations.format(step) + " is out of range: use 1s to 1h, such as 15s (the scrape interval)");
        }
        PrometheusRangeSource.Period period = choice(
                node,
                "period",
                Map.of(
                        "since-gate",
                        PrometheusRangeSource.Period.SINCE_GATE_START,
                        "before-gate",
                        PrometheusRangeSource.Period.BEFORE_GATE_START),
                defaultPeriod);
        Duration timeout = queryTimeout(node, "timeout");
        if (server == null || query == null || !stepInRange) {
            return null;
        }
        return reader.guard(node, () -> new PrometheusRangeSource(server, query, step, period, timeout));
    }

    /**
     * An HTTP source whose URL names {@code {host}}: the latencies of each target of one side of a
     * rollout in steps (the switched targets for {@code canary}, the others for {@code baseline}).
     */
    private SampleSource targetSource(YamlNode node, YamlNode urlNode, int minSamples) {
        String url = urlNode.scalar.trim();
        int requests = requests(node, minSamples);
        Duration requestInterval = reader.duration(node, "requestInterval", HttpCheck.DEFAULT_REQUEST_INTERVAL);
        Duration timeout = reader.duration(node, "timeout", HttpCheck.DEFAULT_TIMEOUT);
        boolean valid;
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            valid = false;
            reader.problem(
                    urlNode,
                    Text.quote(url) + " is not an http:// or https:// URL: give one with " + TargetLatencySource.HOST
                            + " where each target's host goes, such as http://" + TargetLatencySource.HOST
                            + ":8080/api");
        } else {
            valid = reader.check(urlNode, () -> new TargetLatencySource(url, 1, null, null));
        }
        probe(node, "requestInterval", () -> new HttpLatencySource(PROBE_URL, 1, requestInterval, null));
        probe(node, "timeout", () -> new HttpLatencySource(PROBE_URL, 1, null, timeout));
        if (!valid) {
            return null;
        }
        targetHostUrls.add(urlNode);
        return reader.guard(node, () -> new TargetLatencySource(url, requests, requestInterval, timeout));
    }

    /** How many requests an HTTP source sends: {@code minSamples} unless given, and never fewer. */
    private int requests(YamlNode node, int minSamples) {
        int requests = reader.integer(node, "requests", minSamples);
        if (node.map.containsKey("requests") && (requests < 1 || requests > 10_000)) {
            reader.problem(node.map.get("requests"), requests + " requests is out of range: use 1 to 10000");
        } else if (requests < minSamples) {
            reader.problem(
                    node.map.containsKey("requests") ? node.map.get("requests") : node,
                    node.map.containsKey("requests") ? node.path + ".requests" : node.path,
                    requests + " requests are fewer than minSamples (" + minSamples
                            + "), so the comparison could never conclude: send at least " + minSamples
                            + " or lower minSamples");
        }
        return requests;
    }

    private Check approval(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, APPROVAL);
        int before = reader.problemCount();
        String name = name(node, "approval");
        String question = node.map.containsKey("question") ? reader.string(node.map.get("question")) : null;
        if (question != null && (question.length() > 1000 || !Text.isPrintable(question))) {
            reader.problem(
                    node.map.get("question"),
                    "is too long or holds control characters: ask in at most 1000 characters");
        }
        List<String> approvers = names(node, "approvers");
        Duration timeout = reader.duration(node, "timeout", GatePolicy.DEFAULT_APPROVAL_TIMEOUT);
        Verdict onNoAnswer = choice(
                node,
                "onNoAnswer",
                Map.of("fail", Verdict.FAIL, "pass", Verdict.PASS, "inconclusive", Verdict.INCONCLUSIVE),
                Verdict.FAIL);
        boolean dryRun = reader.bool(node, "dryRun", false);
        String named = orProbeName(name, "approval");
        probe(node, "timeout", () -> new ApprovalCheck(named, null, null, timeout, null, false));
        if (reader.problemCount() > before) {
            return null;
        }
        return reader.guard(node, () -> new ApprovalCheck(name, question, approvers, timeout, onNoAnswer, dryRun));
    }

    // ---- values --------------------------------------------------------------------------------

    /** The check's name, its kind when not given; checked by the engine's rule at its key. */
    private String name(YamlNode node, String kind) {
        if (!node.map.containsKey("name")) {
            return kind;
        }
        String name = reader.string(node.map.get("name"));
        probe(node, "name", () -> Gate.requireName("Check", name));
        return name;
    }

    /** A valid name to build throwaway checks with while the real one may be wrong. */
    private static String orProbeName(String name, String kind) {
        return name != null && Gate.NAME.matcher(name).matches() ? name : kind;
    }

    private URI uri(YamlNode node) {
        String text = reader.string(node);
        if (text == null) {
            return null;
        }
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            reader.problem(node, Text.quote(text) + " is not a URL: " + e.getReason());
            return null;
        }
    }

    /** A Prometheus server's address: {@code http://127.0.0.1:9090}. */
    private URI server(YamlNode node, String key) {
        YamlNode given = node.map.get(key);
        if (given == null) {
            reader.problem(
                    node,
                    ConfigReader.path(node, key),
                    "is missing: give the Prometheus server's address, such as http://127.0.0.1:9090");
            return null;
        }
        URI uri = uri(given);
        if (uri != null
                && (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null)) {
            reader.problem(
                    given,
                    Text.quote(uri.toString())
                            + " is not an http:// or https:// address: give the Prometheus server's, such as"
                            + " http://127.0.0.1:9090");
            return null;
        }
        return uri;
    }

    private String query(YamlNode node, String key) {
        String query = reader.requiredString(node, key, "the PromQL query, such as 'sum(rate(errors_total[1m]))'");
        if (query != null && (query.isBlank() || query.length() > 8192 || query.indexOf('\0') >= 0)) {
            reader.problem(
                    node.map.get(key), "is empty or too long: give a PromQL expression of at most 8192 characters");
            return null;
        }
        return query;
    }

    /** How long a Prometheus request may take: 1ms to 10m, as for an HTTP check. */
    private Duration queryTimeout(YamlNode node, String key) {
        Duration timeout = reader.duration(node, key, DEFAULT_PROMETHEUS_TIMEOUT);
        if (node.map.containsKey(key) && (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0)) {
            reader.problem(
                    node.map.get(key), Durations.format(timeout) + " is out of range: use 1ms to 10m, such as 5s");
        }
        return timeout;
    }

    /** A number written as people write it: {@code 0.05}, {@code 12}, {@code 1e-3}. */
    private Double number(YamlNode node) {
        String text = reader.string(node);
        if (text == null) {
            return null;
        }
        if (!NUMBER.matcher(text.trim()).matches()) {
            reader.problem(node, Text.quote(text) + " is not a number: write one such as 0.05, 12 or 1e-3");
            return null;
        }
        return Double.parseDouble(text.trim());
    }

    /** A percentage: {@code 5%}, {@code 99.5%} or {@code 5} (also 5 %). */
    private Double percent(YamlNode parent, String key) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            return null;
        }
        String text = reader.string(node);
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        if (!PERCENT.matcher(trimmed).matches()) {
            reader.problem(
                    node, Text.quote(text) + " is not a percentage: write a number from 0 to 100, such as 5% or 99.5%");
            return null;
        }
        return Double.parseDouble(trimmed.replace("%", "").trim());
    }

    /** One of a few words, such as {@code fail | inconclusive | pass}. */
    private <T> T choice(YamlNode parent, String key, Map<String, T> allowed, T otherwise) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            return otherwise;
        }
        String text = reader.string(node);
        if (text == null) {
            return otherwise;
        }
        T value = allowed.get(text.trim());
        if (value == null) {
            List<String> words = allowed.keySet().stream().sorted().toList();
            reader.problem(
                    node,
                    Text.quote(text) + " is not allowed; use "
                            + String.join(", ", words.subList(0, words.size() - 1)) + " or "
                            + words.get(words.size() - 1));
            return otherwise;
        }
        return value;
    }

    /** User names: {@code [alice, bob]}, or one name alone. */
    private List<String> names(YamlNode parent, String key) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            return List.of();
        }
        List<YamlNode> given = node.kind == YamlNode.Kind.SCALAR ? List.of(node) : null;
        if (given == null && node.kind != YamlNode.Kind.LIST) {
            reader.problem(node, "must be a list of user names, such as [alice, bob], not " + node.describeKind());
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (YamlNode item : given != null ? given : node.list) {
            String name = reader.string(item);
            if (name == null) {
                continue;
            }
            if (name.isBlank() || name.length() > 200 || !Text.isPrintable(name)) {
                reader.problem(
                        item,
                        Text.quote(name) + " is not a user name: give names of at most 200 characters, such as alice,"
                                + " as they give them with --by");
                continue;
            }
            names.add(name.trim());
        }
        return names;
    }

    /** Checks the value at {@code key}, when given, by the engine's rule: the throwaway object {@code make} builds. */
    private void probe(YamlNode parent, String key, Supplier<?> make) {
        YamlNode given = parent.map.get(key);
        if (given != null) {
            reader.check(given, make);
        }
    }
}

package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.gate.ApprovalCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import io.jenkins.plugins.deployrollback.engine.gate.CommandCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.gate.GateWindow;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import io.jenkins.plugins.deployrollback.engine.gate.InconclusiveAction;
import io.jenkins.plugins.deployrollback.engine.gate.NoDataPolicy;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Threshold;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

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
    private static final Set<String> APPROVAL =
            Set.of("name", "question", "approvers", "timeout", "onNoAnswer", "dryRun");

    private static final URI PROBE_URL = URI.create("http://127.0.0.1/");

    private final ConfigReader reader;
    private final GateValues values;
    private final CanaryConfig canaries;
    // The url of every source that names {host}: they need a strategy that switches in steps.
    private final List<YamlNode> targetHostUrls = new ArrayList<>();

    GateConfig(ConfigReader reader) {
        this.reader = reader;
        this.values = new GateValues(reader);
        this.canaries = new CanaryConfig(reader, values, targetHostUrls);
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
        InconclusiveAction onInconclusive = values.choice(
                environment,
                "onInconclusive",
                Map.of("ask", InconclusiveAction.ASK, "fail", InconclusiveAction.FAIL, "pass", InconclusiveAction.PASS),
                GatePolicy.DEFAULT.onInconclusive());
        List<String> approvers = values.names(environment, "approvers");
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
        values.probe(node, "name", () -> Gate.requireName("Gate", name));
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
        values.probe(node, "initialDelay", () -> d.withInitialDelay(initialDelay));
        Duration interval = reader.duration(node, "interval", d.interval());
        values.probe(node, "interval", () -> new GateWindow(null, interval, 1, 0, 0, 0, 0));
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
            case "canary" -> canaries.canary(body);
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
        String name = values.name(node, "http");
        List<URI> urls = urls(node);
        int requests = reader.integer(node, "requests", 1);
        Duration requestInterval = reader.duration(node, "requestInterval", HttpCheck.DEFAULT_REQUEST_INTERVAL);
        Duration timeout = reader.duration(node, "timeout", HttpCheck.DEFAULT_TIMEOUT);
        List<Integer> expectStatus = statuses(node);
        Double maxErrorRate = values.percent(node, "maxErrorRate");
        Double minAvailability = values.percent(node, "minAvailability");
        Map<String, Duration> latency = latency(node);
        boolean dryRun = reader.bool(node, "dryRun", false);
        String named = values.orProbeName(name, "http");
        // Each value by the engine's rule, alone, so that the message points at its key.
        if (!urls.isEmpty()) {
            values.probe(node, "urls", () -> httpCheck(named, urls, 1, null, null, null, null, null, Map.of()));
            values.probe(node, "url", () -> httpCheck(named, urls, 1, null, null, null, null, null, Map.of()));
        }
        values.probe(node, "requests", () -> httpCheck(named, null, requests, null, null, null, null, null, Map.of()));
        values.probe(
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
        values.probe(
                node,
                "timeout",
                () -> new HttpCheck(
                        named, List.of(PROBE_URL), 1, null, timeout, null, null, null, null, null, null, false));
        values.probe(
                node, "expectStatus", () -> httpCheck(named, null, 1, expectStatus, null, null, null, null, Map.of()));
        values.probe(
                node, "maxErrorRate", () -> httpCheck(named, null, 1, null, maxErrorRate, null, null, null, Map.of()));
        values.probe(
                node,
                "minAvailability",
                () -> httpCheck(named, null, 1, null, null, minAvailability, null, null, Map.of()));
        for (String p : LATENCY) {
            YamlNode block = node.map.get("maxLatency");
            if (block != null && block.kind == YamlNode.Kind.MAP && latency.containsKey(p)) {
                values.probe(
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
            URI uri = values.uri(one);
            return uri == null ? List.of() : List.of(uri);
        }
        return reader.list(node, "urls", true, values::uri);
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
        String name = values.name(node, "prometheus");
        URI server = values.server(node, "server");
        String query = values.query(node, "query");
        Threshold threshold = threshold(node);
        NoDataPolicy noData = values.choice(
                node,
                "noData",
                Map.of("fail", NoDataPolicy.FAIL, "inconclusive", NoDataPolicy.INCONCLUSIVE, "pass", NoDataPolicy.PASS),
                DEFAULT_NO_DATA);
        Duration timeout = values.queryTimeout(node, "timeout");
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
        Double value = values.number(node.map.get(key));
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
        String name = values.name(node, "command");
        String run = reader.requiredString(node, "run", "the shell command to run, such as ./smoke-test.sh");
        CommandCheck.Where where = values.choice(
                node,
                "on",
                Map.of("engine", CommandCheck.Where.ENGINE, "targets", CommandCheck.Where.TARGETS),
                CommandCheck.Where.ENGINE);
        Duration timeout = reader.duration(node, "timeout", CommandCheck.DEFAULT_TIMEOUT);
        boolean dryRun = reader.bool(node, "dryRun", false);
        String named = values.orProbeName(name, "command");
        values.probe(node, "run", () -> new CommandCheck(named, run, null, null, false));
        values.probe(node, "timeout", () -> new CommandCheck(named, "true", null, timeout, false));
        if (reader.problemCount() > before) {
            return null;
        }
        return reader.guard(node, () -> new CommandCheck(name, run, where, timeout, dryRun));
    }

    private Check approval(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, APPROVAL);
        int before = reader.problemCount();
        String name = values.name(node, "approval");
        String question = node.map.containsKey("question") ? reader.string(node.map.get("question")) : null;
        if (question != null && (question.length() > 1000 || !Text.isPrintable(question))) {
            reader.problem(
                    node.map.get("question"),
                    "is too long or holds control characters: ask in at most 1000 characters");
        }
        List<String> approvers = values.names(node, "approvers");
        Duration timeout = reader.duration(node, "timeout", GatePolicy.DEFAULT_APPROVAL_TIMEOUT);
        Verdict onNoAnswer = values.choice(
                node,
                "onNoAnswer",
                Map.of("fail", Verdict.FAIL, "pass", Verdict.PASS, "inconclusive", Verdict.INCONCLUSIVE),
                Verdict.FAIL);
        boolean dryRun = reader.bool(node, "dryRun", false);
        String named = values.orProbeName(name, "approval");
        values.probe(node, "timeout", () -> new ApprovalCheck(named, null, null, timeout, null, false));
        if (reader.problemCount() > before) {
            return null;
        }
        return reader.guard(node, () -> new ApprovalCheck(name, question, approvers, timeout, onNoAnswer, dryRun));
    }
}

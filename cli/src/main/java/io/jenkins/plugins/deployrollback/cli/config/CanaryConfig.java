package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.gate.CanaryCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import io.jenkins.plugins.deployrollback.engine.gate.HttpLatencySource;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusRangeSource;
import io.jenkins.plugins.deployrollback.engine.gate.SampleSource;
import io.jenkins.plugins.deployrollback.engine.gate.TargetLatencySource;
import io.jenkins.plugins.deployrollback.engine.gate.Threshold;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code canary:} check: the canary's and the baseline's values, each from HTTP latencies or a
 * Prometheus range query, compared by the engine's statistics. Split from {@link GateConfig}, which
 * reads every other kind of check.
 */
final class CanaryConfig {
    private static final Set<String> CANARY =
            Set.of("name", "canary", "baseline", "worse", "confidence", "allowedEffect", "minSamples", "dryRun");
    private static final Set<String> HTTP_SOURCE = Set.of("url", "requests", "requestInterval", "timeout");
    private static final Set<String> PROMETHEUS_SOURCE = Set.of("prometheus", "query", "step", "period", "timeout");
    private static final URI PROBE_URL = URI.create("http://127.0.0.1/");

    private final ConfigReader reader;
    private final GateValues values;
    // The url of every source that names {host}: they need a strategy that switches in steps.
    private final List<YamlNode> targetHostUrls;

    CanaryConfig(ConfigReader reader, GateValues values, List<YamlNode> targetHostUrls) {
        this.reader = reader;
        this.values = values;
        this.targetHostUrls = targetHostUrls;
    }

    /** A {@code canary:} check, or null when it has problems (each reported). */
    Check canary(YamlNode node) {
        if (!reader.isMap(node)) {
            return null;
        }
        reader.checkKeys(node, CANARY);
        int before = reader.problemCount();
        String name = values.name(node, "canary");
        CanaryCheck.Worse worse = values.choice(
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
            Double given = values.number(confidenceNode);
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
            effect = values.percent(node, "allowedEffect");
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
            URI url = values.uri(urlNode);
            int requests = requests(node, minSamples);
            Duration requestInterval = reader.duration(node, "requestInterval", HttpCheck.DEFAULT_REQUEST_INTERVAL);
            Duration timeout = reader.duration(node, "timeout", HttpCheck.DEFAULT_TIMEOUT);
            if (url != null) {
                values.probe(node, "url", () -> new HttpLatencySource(url, 1, null, null));
            }
            values.probe(node, "requestInterval", () -> new HttpLatencySource(PROBE_URL, 1, requestInterval, null));
            values.probe(node, "timeout", () -> new HttpLatencySource(PROBE_URL, 1, null, timeout));
            return url == null
                    ? null
                    : reader.guard(node, () -> new HttpLatencySource(url, requests, requestInterval, timeout));
        }
        reader.checkKeys(node, PROMETHEUS_SOURCE);
        URI server = values.server(node, "prometheus");
        String query = values.query(node, "query");
        Duration step = reader.duration(node, "step", GateConfig.DEFAULT_STEP);
        boolean stepInRange = true;
        if (node.map.containsKey("step")
                && (step.compareTo(Duration.ofSeconds(1)) < 0 || step.compareTo(Duration.ofHours(1)) > 0)) {
            stepInRange = false;
            reader.problem(
                    node.map.get("step"),
                    Durations.format(step) + " is out of range: use 1s to 1h, such as 15s (the scrape interval)");
        }
        PrometheusRangeSource.Period period = values.choice(
                node,
                "period",
                Map.of(
                        "since-gate",
                        PrometheusRangeSource.Period.SINCE_GATE_START,
                        "before-gate",
                        PrometheusRangeSource.Period.BEFORE_GATE_START),
                defaultPeriod);
        Duration timeout = values.queryTimeout(node, "timeout");
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
        values.probe(node, "requestInterval", () -> new HttpLatencySource(PROBE_URL, 1, requestInterval, null));
        values.probe(node, "timeout", () -> new HttpLatencySource(PROBE_URL, 1, null, timeout));
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
}

package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The values gates are made of, each read and checked at its own key: names, URLs, Prometheus servers
 * and queries, numbers and percentages, choices among words, lists of names; and the probes that
 * let the engine's own rule judge one value alone.
 */
final class GateValues {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)\\s*%?");

    private final ConfigReader reader;

    GateValues(ConfigReader reader) {
        this.reader = reader;
    }

    /** The check's name, its kind when not given; checked by the engine's rule at its key. */
    String name(YamlNode node, String kind) {
        if (!node.map.containsKey("name")) {
            return kind;
        }
        String name = reader.string(node.map.get("name"));
        probe(node, "name", () -> Gate.requireName("Check", name));
        return name;
    }

    /** A valid name to build throwaway checks with while the real one may be wrong. */
    static String orProbeName(String name, String kind) {
        return name != null && Gate.NAME.matcher(name).matches() ? name : kind;
    }

    URI uri(YamlNode node) {
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
    URI server(YamlNode node, String key) {
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

    String query(YamlNode node, String key) {
        String query = reader.requiredString(node, key, "the PromQL query, such as 'sum(rate(errors_total[1m]))'");
        if (query != null && (query.isBlank() || query.length() > 8192 || query.indexOf('\0') >= 0)) {
            reader.problem(
                    node.map.get(key), "is empty or too long: give a PromQL expression of at most 8192 characters");
            return null;
        }
        return query;
    }

    /** How long a Prometheus request may take: 1ms to 10m, as for an HTTP check. */
    Duration queryTimeout(YamlNode node, String key) {
        Duration timeout = reader.duration(node, key, GateConfig.DEFAULT_PROMETHEUS_TIMEOUT);
        if (node.map.containsKey(key) && (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0)) {
            reader.problem(
                    node.map.get(key), Durations.format(timeout) + " is out of range: use 1ms to 10m, such as 5s");
        }
        return timeout;
    }

    /** A number written as people write it: {@code 0.05}, {@code 12}, {@code 1e-3}. */
    Double number(YamlNode node) {
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
    Double percent(YamlNode parent, String key) {
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
    <T> T choice(YamlNode parent, String key, Map<String, T> allowed, T otherwise) {
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
    List<String> names(YamlNode parent, String key) {
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
    void probe(YamlNode parent, String key, Supplier<?> make) {
        YamlNode given = parent.map.get(key);
        if (given != null) {
            reader.check(given, make);
        }
    }
}

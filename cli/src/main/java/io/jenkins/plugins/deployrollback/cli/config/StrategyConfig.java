package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.strategy.TargetCount;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an environment puts a release live across its targets ({@code strategy:}): the word
 * {@code allAtOnce} (the default), or a one-key map naming the strategy with its settings:
 *
 * <pre>
 * strategy: { rolling: { batch: 2, maxFailedTargets: 1 } }     # or batch: 25%
 * strategy: { canary: { steps: [1, 50%, 100%] } }
 * strategy: { blueGreen: { bluePort: 8081, greenPort: 8082 } }  # ports optional; blueGreen alone too
 * </pre>
 *
 * Every value is checked at its own key, by the engine's rule where it has one.
 */
final class StrategyConfig {
    /** The environment's key read here. */
    static final String KEY = "strategy";

    static final List<String> KINDS = List.of("allAtOnce", "rolling", "canary", "blueGreen");

    private static final Set<String> ROLLING = Set.of("batch", "maxFailedTargets");
    private static final Set<String> CANARY = Set.of("steps");
    private static final Set<String> BLUE_GREEN = Set.of("bluePort", "greenPort");
    private static final String EXAMPLES = "allAtOnce, { rolling: { batch: 2 } }, { canary: { steps: [1, 50%, 100%] } }"
            + " or { blueGreen: { bluePort: 8081, greenPort: 8082 } }";

    private final ConfigReader reader;

    StrategyConfig(ConfigReader reader) {
        this.reader = reader;
    }

    /**
     * The environment's strategy: {@link Strategy#ALL_AT_ONCE} when not given, null (and a problem)
     * when wrong.
     *
     * @param targets how many targets the environment has (0 when unknown), to check an allowance of
     *     failed targets against
     */
    Strategy strategy(YamlNode environment, int targets) {
        YamlNode node = environment.map.get(KEY);
        if (node == null) {
            return Strategy.ALL_AT_ONCE;
        }
        if (node.kind == YamlNode.Kind.SCALAR) {
            return named(node, node.scalar.trim());
        }
        if (node.kind != YamlNode.Kind.MAP || node.map.size() != 1) {
            reader.problem(
                    node,
                    (node.kind == YamlNode.Kind.MAP && !node.map.isEmpty()
                                    ? "names " + node.map.size() + " strategies ("
                                            + String.join(", ", node.map.keySet()) + ")"
                                    : "is " + node.describeKind())
                            + ": give one strategy, such as strategy: " + EXAMPLES);
            return null;
        }
        reader.checkKeys(node, Set.copyOf(KINDS));
        Map.Entry<String, YamlNode> entry = node.map.entrySet().iterator().next();
        YamlNode body = entry.getValue();
        return switch (entry.getKey()) {
            case "allAtOnce" -> allAtOnce(body);
            case "rolling" -> rolling(body, targets);
            case "canary" -> canary(body);
            case "blueGreen" -> blueGreen(body);
            default -> null;
        };
    }

    /** {@code strategy: allAtOnce} or {@code strategy: blueGreen}: a strategy that needs no settings. */
    private Strategy named(YamlNode node, String name) {
        switch (name) {
            case "allAtOnce":
                return Strategy.ALL_AT_ONCE;
            case "blueGreen":
                return new Strategy.BlueGreen(0, 0);
            case "rolling":
                reader.problem(
                        node,
                        "a rolling deployment needs its batch size: write strategy: { rolling: { batch: 2 } }, with a"
                                + " count of targets or a share such as 25%");
                return null;
            case "canary":
                reader.problem(
                        node,
                        "a canary deployment needs its steps: write strategy: { canary: { steps: [1, 50%, 100%] } }");
                return null;
            default:
                String suggestion = ConfigReader.closest(name, Set.copyOf(KINDS));
                reader.problem(
                        node,
                        Text.quote(name) + " is not a strategy"
                                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
                                + "; use allAtOnce, rolling, canary or blueGreen, such as strategy: " + EXAMPLES);
                return null;
        }
    }

    /** True when {@code body} holds settings: a map, or nothing ({@code rolling:} alone), which has none. */
    private boolean settings(YamlNode body) {
        return body.kind == YamlNode.Kind.NULL || reader.isMap(body);
    }

    private Strategy allAtOnce(YamlNode body) {
        if (body.kind == YamlNode.Kind.NULL || (body.kind == YamlNode.Kind.MAP && body.map.isEmpty())) {
            return Strategy.ALL_AT_ONCE;
        }
        reader.problem(body, "takes no settings: write strategy: allAtOnce");
        return null;
    }

    private Strategy rolling(YamlNode body, int targets) {
        if (!settings(body)) {
            return null;
        }
        Map<String, YamlNode> map = body.kind == YamlNode.Kind.MAP ? body.map : Map.of();
        if (body.kind == YamlNode.Kind.MAP) {
            reader.checkKeys(body, ROLLING);
        }
        int before = reader.problemCount();
        TargetCount batch = null;
        if (!map.containsKey("batch")) {
            reader.problem(
                    body,
                    ConfigReader.path(body, "batch"),
                    "is missing: give how many targets switch at a time, a count such as 2 or a share of the targets"
                            + " such as 25%");
        } else {
            batch = targetCount(map.get("batch"));
        }
        int maxFailedTargets = 0;
        YamlNode maxNode = map.get("maxFailedTargets");
        if (maxNode != null) {
            Integer given = reader.integer(maxNode);
            if (given != null && reader.check(maxNode, () -> new Strategy.Rolling(TargetCount.count(1), given))) {
                maxFailedTargets = given;
                if (targets > 0 && given >= targets) {
                    reader.problem(
                            maxNode,
                            "allows " + given + " failed targets out of " + targets + ", so a release that fails"
                                    + " on every target would still be kept: use at most " + (targets - 1)
                                    + " (0 stops at the first failed target)");
                }
            }
        }
        if (reader.problemCount() > before || batch == null) {
            return null;
        }
        TargetCount chosen = batch;
        int allowed = maxFailedTargets;
        return reader.guard(body, () -> new Strategy.Rolling(chosen, allowed));
    }

    private Strategy canary(YamlNode body) {
        if (!settings(body)) {
            return null;
        }
        Map<String, YamlNode> map = body.kind == YamlNode.Kind.MAP ? body.map : Map.of();
        if (body.kind == YamlNode.Kind.MAP) {
            reader.checkKeys(body, CANARY);
        }
        int before = reader.problemCount();
        YamlNode steps = map.get("steps");
        if (steps == null || (steps.kind == YamlNode.Kind.LIST && steps.list.isEmpty())) {
            reader.problem(
                    steps == null ? body : steps,
                    ConfigReader.path(body, "steps"),
                    (steps == null ? "is missing" : "is empty")
                            + ": give the steps in order, each how many targets are switched once it is done (a"
                            + " count or a share of the targets), such as [1, 50%, 100%]");
            return null;
        }
        if (steps.kind != YamlNode.Kind.LIST) {
            reader.problem(steps, "must be a list of steps, such as [1, 50%, 100%], not " + steps.describeKind());
            return null;
        }
        List<TargetCount> counts = new ArrayList<>();
        TargetCount previous = null;
        for (YamlNode item : steps.list) {
            TargetCount step = targetCount(item);
            if (step != null && previous != null) {
                TargetCount after = previous;
                reader.check(item, () -> new Strategy.Canary(List.of(after, step)));
            }
            if (step != null) {
                counts.add(step);
                previous = step;
            }
        }
        if (reader.problemCount() > before) {
            return null;
        }
        return reader.guard(steps, () -> new Strategy.Canary(counts));
    }

    private Strategy blueGreen(YamlNode body) {
        if (!settings(body)) {
            return null;
        }
        Map<String, YamlNode> map = body.kind == YamlNode.Kind.MAP ? body.map : Map.of();
        if (body.kind == YamlNode.Kind.MAP) {
            reader.checkKeys(body, BLUE_GREEN);
        }
        int before = reader.problemCount();
        Integer blue = port(map.get("bluePort"));
        Integer green = port(map.get("greenPort"));
        if (blue != null && green != null && (blue == 0) != (green == 0)) {
            String given = blue == 0 ? "greenPort" : "bluePort";
            String missing = blue == 0 ? "bluePort" : "greenPort";
            reader.problem(
                    map.containsKey(missing) ? map.get(missing) : body,
                    ConfigReader.path(body, missing),
                    (map.containsKey(missing) ? "is 0 (no port)" : "is missing") + " while " + given + " is "
                            + (blue == 0 ? green : blue) + ": give each slot its own port, such as bluePort: 8081 and"
                            + " greenPort: 8082, or neither when the hooks and gates need no port");
        } else if (blue != null && green != null && map.containsKey("greenPort")) {
            reader.check(map.get("greenPort"), () -> new Strategy.BlueGreen(blue, green));
        }
        if (reader.problemCount() > before || blue == null || green == null) {
            return null;
        }
        return reader.guard(body, () -> new Strategy.BlueGreen(blue, green));
    }

    /** A slot's port: 0 when not given (none), null (and a problem) when not 1 to 65535. */
    private Integer port(YamlNode node) {
        if (node == null) {
            return 0;
        }
        Integer port = reader.integer(node);
        if (port != null && (port < 0 || port > 65535)) {
            reader.problem(
                    node,
                    port + " is not a port: use 1 to 65535, or leave it out when the hooks and gates need no port");
            return null;
        }
        return port;
    }

    /** A number of targets, {@code 2} or {@code 25%}, by the engine's rule; null (and a problem) when wrong. */
    private TargetCount targetCount(YamlNode node) {
        String text = reader.string(node);
        return text == null ? null : reader.guard(node, () -> TargetCount.parse(text));
    }
}

package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.HttpHealthCheck;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.target.SharedPath;
import io.jenkins.plugins.deployrollback.engine.target.Target;
import io.jenkins.plugins.deployrollback.engine.target.local.LocalTarget;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code deploy-rollback.yaml}. Every problem is collected, not just the first, and each names
 * the file, the line, the key and what is allowed:
 *
 * <pre>deploy-rollback.yaml:14: environments.demo.hooks[1].runOn: "sometimes" is not allowed; use deploy, rollback or both</pre>
 *
 * Unknown keys are errors (with a suggestion), so a typo never silently drops a setting. Relative
 * paths are relative to the folder of the file.
 */
public final class ConfigLoader {
    /** The configuration file used when none is named. */
    public static final String DEFAULT_FILE = "deploy-rollback.yaml";
    /** The state folder (history, kept artifacts) when the file names none, next to the file. */
    public static final String DEFAULT_STATE = ".deploy-rollback";

    private static final Set<String> TOP = Set.of("state", "environments");
    private static final Set<String> ENVIRONMENT = Set.of(
            "targets",
            "hooks",
            "healthCheck",
            "healthChecks",
            "shared",
            "keepReleases",
            "keepFailed",
            "lockTimeout",
            "autoRollback",
            "variables");
    private static final Set<String> TARGET = Set.of("name", "path");
    private static final Set<String> HOOK = Set.of("name", "phase", "runOn", "command", "timeout");
    private static final Set<String> HEALTH = Set.of("name", "url", "expectStatus", "timeout", "attempts", "interval");

    private final Path file;
    private final Path folder;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.folder = this.file.getParent();
    }

    /** Loads {@code file}; throws {@link ConfigException} listing every problem found. */
    public static CliConfig load(Path file) {
        return new ConfigLoader(file).load();
    }

    private CliConfig load() {
        YamlNode root;
        List<String> duplicates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = YamlNode.parse(reader, duplicates);
        } catch (NoSuchFileException e) {
            throw new ConfigException(
                    List.of(
                            file
                                    + ": no such configuration file. Create it (see docs/configuration.md) or name another with --config"));
        } catch (IOException e) {
            String message =
                    e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new ConfigException(List.of(file + ": not readable as YAML: " + message));
        }
        if (root.kind != YamlNode.Kind.MAP) {
            throw new ConfigException(List.of(file
                    + ": the file must be a map with 'environments:' at the top, but holds " + root.describeKind()));
        }
        duplicates.forEach(d -> problems.add(file.getFileName() + ":" + d));
        checkKeys(root, TOP);
        Path state =
                root.map.containsKey("state") ? resolve(string(root.map.get("state"))) : folder.resolve(DEFAULT_STATE);
        Map<EnvironmentName, Environment> environments = new LinkedHashMap<>();
        YamlNode envs = root.map.get("environments");
        if (envs == null || envs.kind != YamlNode.Kind.MAP || envs.map.isEmpty()) {
            problem(
                    envs == null ? root : envs,
                    "environments",
                    "give at least one environment, e.g. environments: { staging: { targets: [ { path: /srv/app } ] } }");
        } else {
            for (Map.Entry<String, YamlNode> entry : envs.map.entrySet()) {
                Environment environment = environment(entry.getKey(), entry.getValue());
                if (environment != null) {
                    environments.put(environment.name(), environment);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new CliConfig(file, state, environments);
    }

    private Environment environment(String name, YamlNode node) {
        EnvironmentName environmentName;
        try {
            environmentName = EnvironmentName.of(name);
        } catch (IllegalArgumentException e) {
            problem(node, node.path, e.getMessage());
            return null;
        }
        if (!isMap(node)) {
            return null;
        }
        checkKeys(node, ENVIRONMENT);
        int before = problems.size();
        List<Target> targets = list(node, "targets", true, this::target);
        List<Hook> hooks = list(node, "hooks", false, this::hook);
        List<HttpHealthCheck> checks = new ArrayList<>();
        if (node.map.containsKey("healthCheck") && node.map.containsKey("healthChecks")) {
            problem(
                    node.map.get("healthChecks"),
                    node.map.get("healthChecks").path,
                    "give either healthCheck (one) or healthChecks (a list), not both");
        } else if (node.map.containsKey("healthCheck")) {
            HttpHealthCheck check = healthCheck(node.map.get("healthCheck"));
            if (check != null) {
                checks.add(check);
            }
        } else {
            checks.addAll(list(node, "healthChecks", false, this::healthCheck));
        }
        List<SharedPath> shared = list(node, "shared", false, n -> guard(n, () -> SharedPath.parse(string(n))));
        int keepReleases = integer(node, "keepReleases", RetentionPolicy.DEFAULT.keepReleases());
        int keepFailed = integer(node, "keepFailed", RetentionPolicy.DEFAULT.keepFailed());
        RetentionPolicy retention = guard(node, () -> new RetentionPolicy(keepReleases, keepFailed));
        Duration lockTimeout = duration(node, "lockTimeout", Environment.DEFAULT_LOCK_TIMEOUT);
        boolean autoRollback = bool(node, "autoRollback", true);
        Map<String, String> variables = new LinkedHashMap<>();
        YamlNode vars = node.map.get("variables");
        if (vars != null && isMap(vars)) {
            vars.map.forEach((key, value) -> {
                String text = string(value);
                if (text != null) {
                    variables.put(key, text);
                }
            });
        }
        if (problems.size() > before) {
            return null;
        }
        return guard(
                node,
                () -> new Environment(
                        environmentName,
                        targets,
                        hooks,
                        checks,
                        shared,
                        retention,
                        lockTimeout,
                        autoRollback,
                        variables));
    }

    private Target target(YamlNode node) {
        if (!isMap(node)) {
            return null;
        }
        checkKeys(node, TARGET);
        String path = requiredString(node, "path", "the folder to deploy into, e.g. /srv/app");
        String name = node.map.containsKey("name") ? string(node.map.get("name")) : null;
        if (path == null) {
            return null;
        }
        return guard(node, () -> new LocalTarget(name, resolve(path)));
    }

    private Hook hook(YamlNode node) {
        if (!isMap(node)) {
            return null;
        }
        checkKeys(node, HOOK);
        String name = requiredString(node, "name", "a short name such as migrate or restart");
        String phaseText = requiredString(node, "phase", "beforeSwitch or afterSwitch");
        String runOnText = requiredString(node, "runOn", "deploy, rollback or both: say when the hook runs");
        String command = requiredString(node, "command", "the shell command to run in the release folder");
        Duration timeout = duration(node, "timeout", Hook.DEFAULT_TIMEOUT);
        HookPhase phase =
                phaseText == null ? null : enumValue(node.map.get("phase"), () -> HookPhase.fromLabel(phaseText));
        RunOn runOn = runOnText == null ? null : enumValue(node.map.get("runOn"), () -> RunOn.fromLabel(runOnText));
        if (name == null || phase == null || runOn == null || command == null) {
            return null;
        }
        return guard(node, () -> new Hook(name, phase, runOn, command, timeout));
    }

    private HttpHealthCheck healthCheck(YamlNode node) {
        if (!isMap(node)) {
            return null;
        }
        checkKeys(node, HEALTH);
        String name = node.map.containsKey("name") ? string(node.map.get("name")) : null;
        String url = requiredString(node, "url", "the http:// or https:// URL to GET");
        int status = integer(node, "expectStatus", 200);
        Duration timeout = duration(node, "timeout", Duration.ofSeconds(5));
        int attempts = integer(node, "attempts", 3);
        Duration interval = duration(node, "interval", Duration.ofSeconds(1));
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problem(node.map.get("url"), node.map.get("url").path, "\"" + url + "\" is not a URL: " + e.getReason());
            return null;
        }
        return guard(node, () -> new HttpHealthCheck(name, uri, status, timeout, attempts, interval));
    }

    // ---- typed values --------------------------------------------------------------------------

    private <T> List<T> list(YamlNode parent, String key, boolean required, Function<YamlNode, T> item) {
        YamlNode node = parent.map.get(key);
        List<T> items = new ArrayList<>();
        if (node == null) {
            if (required) {
                problem(parent, path(parent, key), "is missing: give a list");
            }
            return items;
        }
        if (node.kind != YamlNode.Kind.LIST) {
            problem(node, node.path, "must be a list (items start with '- '), not " + node.describeKind());
            return items;
        }
        if (required && node.list.isEmpty()) {
            problem(node, node.path, "is empty: give at least one");
        }
        for (YamlNode element : node.list) {
            T value = item.apply(element);
            if (value != null) {
                items.add(value);
            }
        }
        return items;
    }

    private String requiredString(YamlNode parent, String key, String what) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            problem(parent, path(parent, key), "is missing: give " + what);
            return null;
        }
        return string(node);
    }

    private String string(YamlNode node) {
        if (node.kind != YamlNode.Kind.SCALAR) {
            problem(node, node.path, "must be a single value, not " + node.describeKind());
            return null;
        }
        return node.scalar;
    }

    private int integer(YamlNode parent, String key, int otherwise) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            return otherwise;
        }
        String text = string(node);
        try {
            return text == null ? otherwise : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            problem(node, node.path, "\"" + text + "\" is not a whole number");
            return otherwise;
        }
    }

    private boolean bool(YamlNode parent, String key, boolean otherwise) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            return otherwise;
        }
        String text = string(node);
        if ("true".equals(text) || "false".equals(text)) {
            return Boolean.parseBoolean(text);
        }
        if (text != null) {
            problem(node, node.path, "\"" + text + "\" is not allowed; use true or false");
        }
        return otherwise;
    }

    private Duration duration(YamlNode parent, String key, Duration otherwise) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            return otherwise;
        }
        String text = string(node);
        if (text == null) {
            return otherwise;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            problem(node, node.path, e.getMessage());
            return otherwise;
        }
    }

    private <T> T enumValue(YamlNode node, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            problem(node, node.path, e.getMessage());
            return null;
        }
    }

    /** Runs an engine constructor; its validation message becomes a problem at {@code node}. */
    private <T> T guard(YamlNode node, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException
                | io.jenkins.plugins.deployrollback.engine.release.UnsafeArtifactException e) {
            problem(node, node.path, e.getMessage());
            return null;
        }
    }

    private boolean isMap(YamlNode node) {
        if (node.kind != YamlNode.Kind.MAP) {
            problem(node, node.path, "must be a map of settings (key: value), not " + node.describeKind());
            return false;
        }
        return true;
    }

    private void checkKeys(YamlNode node, Set<String> allowed) {
        for (String key : node.map.keySet()) {
            if (!allowed.contains(key)) {
                String suggestion = closest(key, allowed);
                problem(
                        node.map.get(key),
                        path(node, key),
                        "is not a known setting"
                                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)") + "; known here: "
                                + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private Path resolve(String path) {
        return path == null ? folder : folder.resolve(path).normalize();
    }

    private void problem(YamlNode node, String path, String message) {
        problems.add(file.getFileName() + ":" + node.line + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    private static String path(YamlNode parent, String key) {
        return parent.path.isEmpty() ? key : parent.path + "." + key;
    }

    private static String closest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

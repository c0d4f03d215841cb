package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.release.UnsafeArtifactException;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshConnectionPool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads typed values out of {@link YamlNode}s and collects every problem found, each placed at the
 * line and key it is about: {@code deploy-rollback.yaml:14: environments.demo.hooks[1].runOn: ...}.
 * Also knows what the file's paths are relative to and which environment variables are set.
 */
final class ConfigReader {
    private final Path file;
    private final Path folder;
    private final Path home;
    private final Map<String, String> environment;
    // Each problem with its line. A setting inherited by many targets is read once per target: its
    // problem is listed once.
    private final Map<String, Integer> problems = new LinkedHashMap<>();
    private Secrets secrets;
    /** Where SSH targets keep their connections between commands; null: each command logs in anew. */
    private final SshConnectionPool connections;

    ConfigReader(Path file, Map<String, String> environment, SshConnectionPool connections) {
        this.file = file.toAbsolutePath().normalize();
        this.folder = this.file.getParent();
        this.environment = Map.copyOf(environment);
        this.connections = connections;
        // Hooks and command checks run on this machine see these variables, not another process's.
        this.secrets = Secrets.NONE.forCommandsStartingFrom(this.environment);
        String homeVariable = environment.get("HOME");
        this.home = Path.of(
                homeVariable == null || homeVariable.isBlank() ? System.getProperty("user.home") : homeVariable);
    }

    Path file() {
        return file;
    }

    Path folder() {
        return folder;
    }

    Path home() {
        return home;
    }

    /** The value of environment variable {@code name}, or null when it is not set. */
    String variable(String name) {
        return environment.get(name);
    }

    /**
     * The value of environment variable {@code name}, which holds a secret (an SSH key, a
     * passphrase): the variable is withheld from every command deploy-rollback runs on this machine
     * and its value masked in all output.
     */
    String secretVariable(String name) {
        String value = environment.get(name);
        secrets = secrets.and(Secrets.variable(name, value));
        return value;
    }

    /** Where SSH targets keep their connections between commands, or null. */
    SshConnectionPool connections() {
        return connections;
    }

    /** The secrets the configuration reads from environment variables. */
    Secrets secrets() {
        return secrets;
    }

    /** Every problem, in the order of the lines they are about. */
    List<String> problems() {
        return problems.entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .toList();
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    int problemCount() {
        return problems.size();
    }

    void problem(YamlNode node, String path, String message) {
        problem(node.line, path, message);
    }

    void problem(int line, String path, String message) {
        problems.putIfAbsent(
                file.getFileName() + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + message, line);
    }

    void problem(YamlNode node, String message) {
        problem(node, node.path, message);
    }

    /** A problem without a line: the file as a whole. */
    ConfigException fileProblem(String message) {
        return new ConfigException(List.of(file + ": " + message));
    }

    // ---- shapes --------------------------------------------------------------------------------

    boolean isMap(YamlNode node) {
        if (node.kind != YamlNode.Kind.MAP) {
            problem(node, "must be a map of settings (key: value), not " + node.describeKind());
            return false;
        }
        return true;
    }

    /** Every key of {@code node} not in {@code allowed} is a problem, with the closest allowed key as a hint. */
    void checkKeys(YamlNode node, Set<String> allowed) {
        checkKeys(node, allowed, Set.of());
    }

    /** As {@link #checkKeys(YamlNode, Set)}, leaving the keys in {@code reportedElsewhere} to the caller. */
    void checkKeys(YamlNode node, Set<String> allowed, Set<String> reportedElsewhere) {
        for (String key : node.map.keySet()) {
            if (!allowed.contains(key) && !reportedElsewhere.contains(key)) {
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

    <T> List<T> list(YamlNode parent, String key, boolean required, Function<YamlNode, T> item) {
        YamlNode node = parent.map.get(key);
        List<T> items = new ArrayList<>();
        if (node == null) {
            if (required) {
                problem(parent, path(parent, key), "is missing: give a list");
            }
            return items;
        }
        if (node.kind != YamlNode.Kind.LIST) {
            problem(node, "must be a list (items start with '- '), not " + node.describeKind());
            return items;
        }
        if (required && node.list.isEmpty()) {
            problem(node, "is empty: give at least one");
        }
        for (YamlNode element : node.list) {
            T value = item.apply(element);
            if (value != null) {
                items.add(value);
            }
        }
        return items;
    }

    // ---- typed values --------------------------------------------------------------------------

    String requiredString(YamlNode parent, String key, String what) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            problem(parent, path(parent, key), "is missing: give " + what);
            return null;
        }
        return string(node);
    }

    String string(YamlNode node) {
        if (node.kind != YamlNode.Kind.SCALAR) {
            problem(node, "must be a single value, not " + node.describeKind());
            return null;
        }
        return node.scalar;
    }

    int integer(YamlNode parent, String key, int otherwise) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            return otherwise;
        }
        Integer value = integer(node);
        return value == null ? otherwise : value;
    }

    /** The whole number at {@code node}, or null (and a problem) when it is none. */
    Integer integer(YamlNode node) {
        String text = string(node);
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            problem(node, "\"" + text + "\" is not a whole number");
            return null;
        }
    }

    boolean bool(YamlNode parent, String key, boolean otherwise) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            return otherwise;
        }
        String text = string(node);
        if ("true".equals(text) || "false".equals(text)) {
            return Boolean.parseBoolean(text);
        }
        if (text != null) {
            problem(node, "\"" + text + "\" is not allowed; use true or false");
        }
        return otherwise;
    }

    Duration duration(YamlNode parent, String key, Duration otherwise) {
        YamlNode node = parent.map.get(key);
        if (node == null) {
            return otherwise;
        }
        Duration value = duration(node);
        return value == null ? otherwise : value;
    }

    /** The duration at {@code node}, or null (and a problem) when it is none. */
    Duration duration(YamlNode node) {
        String text = string(node);
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            problem(node, e.getMessage());
            return null;
        }
    }

    <T> T enumValue(YamlNode node, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            problem(node, e.getMessage());
            return null;
        }
    }

    /**
     * A path on this machine: {@code ~} and {@code ~/…} are in the home folder, other relative paths
     * relative to the file's folder.
     */
    Path localPath(String path) {
        if (path == null) {
            return folder;
        }
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2)).normalize();
        }
        return folder.resolve(path).normalize();
    }

    /** A local path for a message: as written, followed by where it resolved to when that differs. */
    static String shown(String written, Path resolved) {
        return written.equals(resolved.toString()) ? written : written + " (" + resolved + ")";
    }

    // ---- the engine's own rules ----------------------------------------------------------------

    /** Runs an engine constructor; its validation message becomes a problem at {@code node}. */
    <T> T guard(YamlNode node, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException | UnsafeArtifactException e) {
            problem(node, e.getMessage());
            return null;
        }
    }

    /**
     * Checks one value by the engine's own rule, by building a throwaway object around it, so that a
     * refusal points at that value's key rather than at the object holding it.
     */
    boolean check(YamlNode node, Supplier<?> probe) {
        return guard(node, probe) != null;
    }

    static String path(YamlNode parent, String key) {
        return parent.path.isEmpty() ? key : parent.path + "." + key;
    }

    /** The allowed word closest to {@code key} (a typo of it), or null when none is close. */
    static String closest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int d = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
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

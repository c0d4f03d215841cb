package io.jenkins.plugins.deployrollback.engine.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What must never reach a command's environment or any text the engine prints or records: the names
 * of this process's environment variables that hold a secret (withheld from every local hook and
 * command check), and the secret values themselves (masked as {@code ****} in their output, in causes
 * and in progress). A private key is masked line by line, so a command that prints one line of it
 * shows {@code ****} too.
 *
 * <p>Local commands start from this process's environment variables, or from those {@link
 * #forCommandsStartingFrom} names: a helper process that runs commands for the person who asked
 * gives their commands that person's variables, not its own.
 */
public final class Secrets {
    /** No secret known. */
    public static final Secrets NONE = new Secrets(Set.of(), List.of(), null);

    static final String MASK = "****";
    /** Shorter lines of a key (its last base64 line, say) are too likely to occur in ordinary text. */
    private static final int SHORTEST_KEY_LINE = 16;

    private final Set<String> withheld;
    /** Longest first, so that a value containing another is masked whole. */
    private final List<String> values;
    /** The variables local commands start from; null: this process's. */
    private final Map<String, String> commandVariables;

    private Secrets(Set<String> withheld, List<String> values, Map<String, String> commandVariables) {
        this.withheld = Set.copyOf(withheld);
        this.commandVariables = commandVariables == null ? null : Map.copyOf(commandVariables);
        List<String> sorted = new ArrayList<>(new LinkedHashSet<>(values));
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.values = List.copyOf(sorted);
    }

    /** The secret {@code value}: a passphrase or token masked whole, a private key line by line. */
    public static Secrets value(String value) {
        return new Secrets(Set.of(), pieces(value), null);
    }

    /** {@link #value(String)} of UTF-8 bytes; null or empty: no secret. */
    public static Secrets value(byte[] value) {
        return value == null ? NONE : value(new String(value, StandardCharsets.UTF_8));
    }

    /**
     * The environment variable {@code name} of this process holds a secret: it is kept out of every
     * command's environment and its value, {@code value}, is masked.
     */
    public static Secrets variable(String name, String value) {
        return new Secrets(Set.of(name), pieces(value), null);
    }

    /**
     * These secrets, with local commands starting from {@code variables} instead of this process's
     * environment variables (the withheld ones are still removed from them).
     */
    public Secrets forCommandsStartingFrom(Map<String, String> variables) {
        return new Secrets(withheld, values, Objects.requireNonNull(variables, "variables"));
    }

    /** These secrets and {@code other}'s; commands start from the variables {@code other} names, else these. */
    public Secrets and(Secrets other) {
        if (other.isEmpty() && other.commandVariables == null) {
            return this;
        }
        if (isEmpty() && commandVariables == null) {
            return other;
        }
        Set<String> names = new TreeSet<>(withheld);
        names.addAll(other.withheld);
        List<String> all = new ArrayList<>(values);
        all.addAll(other.values);
        return new Secrets(names, all, other.commandVariables != null ? other.commandVariables : commandVariables);
    }

    public boolean isEmpty() {
        return withheld.isEmpty() && values.isEmpty();
    }

    /** The variables withheld from commands, by name (names are not secret). */
    public Set<String> withheld() {
        return new TreeSet<>(withheld);
    }

    /** {@code text} with every secret value replaced by {@code ****}; null stays null. */
    public String mask(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String value : values) {
            if (masked.contains(value)) {
                masked = masked.replace(value, MASK);
            }
        }
        return masked;
    }

    /**
     * Makes {@code environment}, a child process's (which starts as this process's), the one a local
     * command gets: the variables it starts from, without the withheld ones.
     */
    public void prepare(Map<String, String> environment) {
        if (commandVariables != null) {
            environment.clear();
            environment.putAll(commandVariables);
        }
        environment.keySet().removeAll(withheld);
    }

    private static List<String> pieces(String value) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        List<String> pieces = new ArrayList<>();
        pieces.add(value);
        String trimmedWhole = value.trim();
        if (!trimmedWhole.isEmpty() && !trimmedWhole.equals(value)) {
            pieces.add(trimmedWhole);
        }
        if (value.indexOf('\n') >= 0) {
            for (String line : value.split("\r?\n")) {
                String trimmed = line.trim();
                // The armour lines of a key are not secret; its base64 body is.
                if (trimmed.length() >= SHORTEST_KEY_LINE && !trimmed.startsWith("-----")) {
                    pieces.add(trimmed);
                }
            }
        }
        return pieces;
    }

    /** Never shows a value: only how many there are and the withheld names. */
    @Override
    public String toString() {
        return "secrets (" + values.size() + " values masked, withheld variables " + withheld() + ")";
    }
}

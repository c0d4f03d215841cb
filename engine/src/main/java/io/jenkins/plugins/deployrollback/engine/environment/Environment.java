package io.jenkins.plugins.deployrollback.engine.environment;

import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An environment: its targets, the hooks run on them, the gates that judge a release after the
 * switch, the shared paths, retention, how long a lock lasts, whether a failed gate rolls back
 * automatically, variables handed to every hook, how many targets are worked on at once, how
 * gate verdicts are acted on (an inconclusive gate, rollbacks verified or not), and how a release
 * goes live across the targets (all at once, rolling, canary or blue/green).
 */
public record Environment(
        EnvironmentName name,
        List<Target> targets,
        List<Hook> hooks,
        List<Gate> gates,
        List<SharedPath> shared,
        RetentionPolicy retention,
        Duration lockTimeout,
        boolean autoRollback,
        Map<String, String> variables,
        int concurrency,
        GatePolicy gatePolicy,
        Strategy strategy) {

    /**
     * Lock lifetime when none is given. A running operation renews its locks all along, so this is how
     * long a lock outlives a holder that stopped (killed, hung, cut off) before it may be taken over.
     */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(30);

    /** How many targets are worked on at the same time when none is given. */
    public static final int DEFAULT_CONCURRENCY = 20;

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public Environment {
        Objects.requireNonNull(name, "environment name");
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("Environment " + name + " has no targets: give at least one");
        }
        targets = List.copyOf(targets);
        requireUnique(name, "target", targets.stream().map(Target::name).toList());
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
        requireUnique(name, "hook", hooks.stream().map(Hook::name).toList());
        gates = gates == null ? List.of() : List.copyOf(gates);
        requireUnique(name, "gate", gates.stream().map(Gate::name).toList());
        gatePolicy = gatePolicy == null ? GatePolicy.DEFAULT : gatePolicy;
        strategy = strategy == null ? Strategy.ALL_AT_ONCE : strategy;
        shared = shared == null ? List.of() : List.copyOf(shared);
        requireUnique(name, "shared path", shared.stream().map(SharedPath::path).toList());
        retention = retention == null ? RetentionPolicy.DEFAULT : retention;
        lockTimeout = lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout;
        if (lockTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(
                    "Environment " + name + " has lock timeout " + lockTimeout + ": use at least 1s");
        }
        if (concurrency < 1 || concurrency > 500) {
            throw new IllegalArgumentException("Environment " + name + " has concurrency " + concurrency
                    + ": use 1 (one target at a time) to 500");
        }
        variables = variables == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(variables));
        for (Map.Entry<String, String> v : variables.entrySet()) {
            if (!VARIABLE.matcher(v.getKey()).matches() || v.getKey().startsWith("DEPLOY_")) {
                throw new IllegalArgumentException("Variable " + Text.quote(v.getKey()) + " of environment " + name
                        + " is invalid: use letters, digits and '_', not starting with a digit or DEPLOY_ (reserved)");
            }
            if (v.getValue() == null || v.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException(
                        "Variable " + v.getKey() + " of environment " + name + " has no value or a NUL");
            }
        }
    }

    /** An environment that puts releases live on every target at once. */
    public Environment(
            EnvironmentName name,
            List<Target> targets,
            List<Hook> hooks,
            List<Gate> gates,
            List<SharedPath> shared,
            RetentionPolicy retention,
            Duration lockTimeout,
            boolean autoRollback,
            Map<String, String> variables,
            int concurrency,
            GatePolicy gatePolicy) {
        this(
                name,
                targets,
                hooks,
                gates,
                shared,
                retention,
                lockTimeout,
                autoRollback,
                variables,
                concurrency,
                gatePolicy,
                Strategy.ALL_AT_ONCE);
    }

    /** This environment, putting releases live with {@code strategy}. */
    public Environment withStrategy(Strategy strategy) {
        return new Environment(
                name,
                targets,
                hooks,
                gates,
                shared,
                retention,
                lockTimeout,
                autoRollback,
                variables,
                concurrency,
                gatePolicy,
                strategy);
    }

    /** An environment working on up to {@link #DEFAULT_CONCURRENCY} targets at a time. */
    public Environment(
            EnvironmentName name,
            List<Target> targets,
            List<Hook> hooks,
            List<Gate> gates,
            List<SharedPath> shared,
            RetentionPolicy retention,
            Duration lockTimeout,
            boolean autoRollback,
            Map<String, String> variables) {
        this(
                name,
                targets,
                hooks,
                gates,
                shared,
                retention,
                lockTimeout,
                autoRollback,
                variables,
                DEFAULT_CONCURRENCY,
                GatePolicy.DEFAULT);
    }

    /** An environment with the default gate policy. */
    public Environment(
            EnvironmentName name,
            List<Target> targets,
            List<Hook> hooks,
            List<Gate> gates,
            List<SharedPath> shared,
            RetentionPolicy retention,
            Duration lockTimeout,
            boolean autoRollback,
            Map<String, String> variables,
            int concurrency) {
        this(
                name,
                targets,
                hooks,
                gates,
                shared,
                retention,
                lockTimeout,
                autoRollback,
                variables,
                concurrency,
                GatePolicy.DEFAULT);
    }

    // Static on purpose: in a compact constructor the record's fields are assigned only at its end, so
    // an instance method would read a null name.
    private static void requireUnique(EnvironmentName name, String what, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException("Environment " + name + " names " + what + " " + Text.quote(n)
                        + " twice: names must be unique");
            }
        }
    }
}

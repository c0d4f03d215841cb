package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.targets.RetryPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshSettings;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * An SSH target's timeouts and retries: how long connecting and a command may take, how often an idle
 * connection is probed, and how transient failures are retried. Each value is judged by the engine's
 * own rule at its own key.
 */
final class SshTimeouts {
    private static final Set<String> RETRIES = Set.of("attempts", "delay", "maxDelay");

    private final ConfigReader reader;
    private final SshDefaults defaults;

    SshTimeouts(ConfigReader reader, SshDefaults defaults) {
        this.reader = reader;
        this.defaults = defaults;
    }

    /** {@code entry}'s timeouts and retries, or null when they have problems (reported). */
    SshSettings settings(YamlNode entry) {
        SshSettings standard = SshSettings.DEFAULT;
        Duration connect = timeout(
                entry,
                "connectTimeout",
                standard.connectTimeout(),
                d -> new SshSettings(d, standard.commandTimeout(), standard.keepAlive(), standard.retry()));
        Duration command = timeout(
                entry,
                "commandTimeout",
                standard.commandTimeout(),
                d -> new SshSettings(standard.connectTimeout(), d, standard.keepAlive(), standard.retry()));
        Duration keepAlive = timeout(
                entry,
                "keepAlive",
                standard.keepAlive(),
                d -> new SshSettings(standard.connectTimeout(), standard.commandTimeout(), d, standard.retry()));
        YamlNode retriesNode = defaults.setting(entry, "retries");
        RetryPolicy retry = retriesNode == null ? standard.retry() : retries(retriesNode);
        if (connect == null || command == null || keepAlive == null || retry == null) {
            return null;
        }
        return reader.guard(entry, () -> new SshSettings(connect, command, keepAlive, retry));
    }

    private Duration timeout(YamlNode entry, String key, Duration otherwise, Function<Duration, SshSettings> probe) {
        YamlNode node = defaults.setting(entry, key);
        if (node == null) {
            return otherwise;
        }
        Duration value = reader.duration(node);
        return value != null && reader.check(node, () -> probe.apply(value)) ? value : null;
    }

    /** A target's {@code retries} replaces the whole {@code ssh:} one; what it leaves out is the default. */
    RetryPolicy retries(YamlNode node) {
        if (node.kind != YamlNode.Kind.MAP) {
            reader.problem(
                    node, "must be a map such as {attempts: 3, delay: 1s, maxDelay: 10s}, not " + node.describeKind());
            return null;
        }
        reader.checkKeys(node, RETRIES);
        RetryPolicy standard = RetryPolicy.DEFAULT;
        YamlNode attemptsNode = node.map.get("attempts");
        Integer attempts = attemptsNode == null ? Integer.valueOf(standard.attempts()) : reader.integer(attemptsNode);
        if (attempts != null
                && attemptsNode != null
                && !reader.check(attemptsNode, () -> new RetryPolicy(attempts, Duration.ZERO, Duration.ZERO))) {
            return null;
        }
        Duration delay = node.map.containsKey("delay") ? reader.duration(node.map.get("delay")) : standard.firstDelay();
        Duration maxDelay = node.map.containsKey("maxDelay")
                ? reader.duration(node.map.get("maxDelay"))
                : delay == null || delay.compareTo(standard.maxDelay()) < 0 ? standard.maxDelay() : delay;
        if (attempts == null || delay == null || maxDelay == null) {
            return null;
        }
        return reader.guard(node, () -> new RetryPolicy(attempts, delay, maxDelay));
    }
}

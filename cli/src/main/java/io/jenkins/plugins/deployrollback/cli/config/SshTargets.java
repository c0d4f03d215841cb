package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.HostKeyVerification;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshCredentials;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshSettings;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The SSH targets of one environment. A target with a {@code host} takes each setting from its own
 * entry, else from the environment's {@code ssh:} block, else the default. Keys and passphrases come
 * from files and environment variables only: one written in the configuration is refused, and no
 * message ever repeats a key, a passphrase or a value that might be one.
 *
 * <p>Where a target is (host, port, name, deploy path) is read here; who logs in is read by {@link
 * SshLogin}, how the host is trusted by {@link SshHostKeys}, and the timeouts and retries by {@link
 * SshTimeouts}.
 */
final class SshTargets {
    /** The settings an {@code ssh:} block gives every SSH target of its environment; a target may override each. */
    static final Set<String> SETTINGS = Set.of(
            "user",
            "port",
            "path",
            "identityFile",
            "identityEnv",
            "passphraseEnv",
            "knownHosts",
            "hostKeyPolicy",
            "connectTimeout",
            "commandTimeout",
            "keepAlive",
            "retries");

    /** Keys a secret is likely to be written under, each with how to give that secret instead. */
    static final Map<String, String> WRITTEN_SECRETS = Map.of(
            "identity",
            SshLogin.KEY_INSTEAD,
            "key",
            SshLogin.KEY_INSTEAD,
            "privateKey",
            SshLogin.KEY_INSTEAD,
            "sshKey",
            SshLogin.KEY_INSTEAD,
            "passphrase",
            "a passphrase is never written in this file: put it in an environment variable and give that"
                    + " variable's name with passphraseEnv",
            "password",
            "password login is not supported, and a password is never written in this file: log in with a key"
                    + " (identityFile or identityEnv)");

    private static final Set<String> TARGET = union(Set.of("name", "host"), SETTINGS);
    private static final int DEFAULT_PORT = 22;

    // Probes: stand-ins around one value, so the engine's own rule judges that value alone.
    private static final String PROBE_PATH = "/probe";
    private static final SshCredentials PROBE_CREDENTIALS =
            SshCredentials.ofKeyText(SshLogin.PROBE_USER, SshLogin.PROBE_KEY, null, "probe");
    private static final HostKeyVerification PROBE_HOST_KEYS = HostKeyVerification.knownHosts("");

    private final ConfigReader reader;
    private final SshDefaults defaults;
    private final SshLogin login;
    private final SshHostKeys hostKeys;
    private final SshTimeouts timeouts;

    /** Reads and checks {@code environment}'s {@code ssh:} block, if it has one. */
    SshTargets(ConfigReader reader, YamlNode environment) {
        this.reader = reader;
        String path = ConfigReader.path(environment, "ssh");
        YamlNode block = environment.map.get("ssh");
        this.defaults = new SshDefaults(block != null && reader.isMap(block) ? block : null, path);
        this.login = new SshLogin(reader, defaults);
        this.hostKeys = new SshHostKeys(reader, defaults);
        this.timeouts = new SshTimeouts(reader, defaults);
        if (defaults.node() != null) {
            checkDefaults(defaults.node());
        }
    }

    /** Refuses every secret written in {@code node}, without repeating it. */
    void refuseWrittenSecrets(YamlNode node) {
        node.map.forEach((key, value) -> {
            if (WRITTEN_SECRETS.containsKey(key)) {
                reader.problem(value, ConfigReader.path(node, key), WRITTEN_SECRETS.get(key));
            }
        });
    }

    // Settings written in the ssh: block are checked here once, even when every target overrides them;
    // whether a file or a variable they name is there is checked for the targets that use them.
    private void checkDefaults(YamlNode block) {
        refuseWrittenSecrets(block);
        for (String perTarget : List.of("host", "name")) {
            if (block.map.containsKey(perTarget)) {
                reader.problem(
                        block.map.get(perTarget),
                        ConfigReader.path(block, perTarget),
                        "is given per target: list each host under targets, e.g. - host: web-1.example.com");
            }
        }
        reader.checkKeys(block, SETTINGS, union(WRITTEN_SECRETS.keySet(), Set.of("host", "name")));
        ifPresent(block, "user", login::user);
        ifPresent(block, "port", this::port);
        ifPresent(block, "path", n -> remotePath(n, null));
        ifPresent(block, "identityFile", login::keyFileName);
        ifPresent(block, "identityEnv", n -> login.variableName(n, "private key"));
        ifPresent(block, "passphraseEnv", n -> login.variableName(n, "passphrase"));
        ifPresent(block, "knownHosts", reader::string);
        ifPresent(block, "hostKeyPolicy", hostKeys::policy);
        ifPresent(block, "retries", timeouts::retries);
        timeouts.settings(block);
        login.checkDefaults();
    }

    /** The target {@code entry} describes (it has a host), or null when it has problems (reported). */
    SshTarget target(YamlNode entry) {
        refuseWrittenSecrets(entry);
        reader.checkKeys(entry, TARGET, WRITTEN_SECRETS.keySet());
        String host = host(entry.map.get("host"));
        YamlNode portNode = defaults.setting(entry, "port");
        Integer port = portNode == null ? Integer.valueOf(DEFAULT_PORT) : port(portNode);
        String name = entry.map.containsKey("name") ? name(entry.map.get("name"), host, port) : null;
        String root = required(
                entry, "path", "the deploy path on the host, such as path: /srv/app", n -> remotePath(n, host));
        String user = required(entry, "user", "the user to log in as, such as user: deploy", login::user);
        SshCredentials credentials = login.credentials(entry, user);
        HostKeyVerification verification = hostKeys.verification(entry, host, port);
        SshSettings settings = timeouts.settings(entry);
        if (host == null
                || port == null
                || (entry.map.containsKey("name") && name == null)
                || root == null
                || credentials == null
                || verification == null
                || settings == null) {
            return null;
        }
        return reader.guard(entry, () -> {
            SshTarget target = new SshTarget(name, host, port, root, credentials, verification, settings);
            return reader.connections() == null ? target : target.withPool(reader.connections());
        });
    }

    // ---- where: host, port, name, path ---------------------------------------------------------

    private String host(YamlNode node) {
        String host = reader.string(node);
        if (host == null) {
            return null;
        }
        if (host.contains("://")) {
            reader.problem(node, Text.quote(host) + " is a URL: give the host name or IP address alone");
        } else if (host.contains("@")) {
            reader.problem(
                    node,
                    Text.quote(host) + " includes a user: give the host alone, and the user with user: "
                            + host.substring(0, host.indexOf('@')));
        } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            reader.problem(
                    node,
                    Text.quote(host) + " includes a port: give the host alone, and the port with port: "
                            + host.substring(host.indexOf(':') + 1));
        } else if (reader.check(
                node,
                () -> new SshTarget(null, host, DEFAULT_PORT, PROBE_PATH, PROBE_CREDENTIALS, PROBE_HOST_KEYS, null))) {
            return host;
        }
        return null;
    }

    private Integer port(YamlNode node) {
        Integer port = reader.integer(node);
        if (port != null && (port < 1 || port > 65535)) {
            reader.problem(node, port + " is not a TCP port: use 1 to 65535 (SSH listens on 22 unless told otherwise)");
            return null;
        }
        return port;
    }

    private String name(YamlNode node, String host, Integer port) {
        String name = reader.string(node);
        if (name == null || host == null || port == null) {
            return name;
        }
        return reader.check(
                        node,
                        () -> new SshTarget(name, host, port, PROBE_PATH, PROBE_CREDENTIALS, PROBE_HOST_KEYS, null))
                ? name
                : null;
    }

    /** The deploy path on the host; {@code host} is null when it is a default for every host. */
    private String remotePath(YamlNode node, String host) {
        String path = reader.string(node);
        if (path == null) {
            return null;
        }
        if (path.startsWith("~")) {
            reader.problem(
                    node,
                    Text.quote(path) + " is not expanded on the host: give the absolute deploy path, such as"
                            + " /home/deploy/app");
            return null;
        }
        if (!path.startsWith("/")) {
            reader.problem(
                    node,
                    Text.quote(path) + " is relative, but the path of a target with a host is the deploy path on"
                            + " that host, and must be absolute, such as /srv/app; for a folder on this machine, leave"
                            + " out host");
            return null;
        }
        // The engine's message names the host: a default is judged for each host that takes it.
        return host == null
                        || reader.check(
                                node,
                                () -> new SshTarget(
                                        null, host, DEFAULT_PORT, path, PROBE_CREDENTIALS, PROBE_HOST_KEYS, null))
                ? path
                : null;
    }

    // ---- settings: the target's own, else the ssh: block's -------------------------------------

    private <T> T required(YamlNode entry, String key, String what, Function<YamlNode, T> read) {
        YamlNode node = defaults.setting(entry, key);
        if (node == null) {
            reader.problem(
                    entry,
                    ConfigReader.path(entry, key),
                    "is missing: give " + what + ", for this target or for every SSH target in " + defaults.path());
            return null;
        }
        return read.apply(node);
    }

    private static void ifPresent(YamlNode node, String key, Function<YamlNode, ?> read) {
        if (node.map.containsKey(key)) {
            read.apply(node.map.get(key));
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}

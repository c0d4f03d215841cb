package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.RetryPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.HostKeyVerification;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshCredentials;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshSettings;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The SSH targets of one environment. A target with a {@code host} takes each setting from its own
 * entry, else from the environment's {@code ssh:} block, else the default. Keys and passphrases come
 * from files and environment variables only: one written in the configuration is refused, and no
 * message ever repeats a key, a passphrase or a value that might be one.
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

    private static final String KEY_INSTEAD = "a private key is never written in this file: give the path of its file"
            + " (readable only by you) with identityFile, or the name of an environment variable holding it with"
            + " identityEnv";

    /** Keys a secret is likely to be written under, each with how to give that secret instead. */
    static final Map<String, String> WRITTEN_SECRETS = Map.of(
            "identity",
            KEY_INSTEAD,
            "key",
            KEY_INSTEAD,
            "privateKey",
            KEY_INSTEAD,
            "sshKey",
            KEY_INSTEAD,
            "passphrase",
            "a passphrase is never written in this file: put it in an environment variable and give that"
                    + " variable's name with passphraseEnv",
            "password",
            "password login is not supported, and a password is never written in this file: log in with a key"
                    + " (identityFile or identityEnv)");

    private static final Set<String> TARGET = union(Set.of("name", "host"), SETTINGS);
    private static final Set<String> RETRIES = Set.of("attempts", "delay", "maxDelay");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int DEFAULT_PORT = 22;
    private static final String DEFAULT_KNOWN_HOSTS = "~/.ssh/known_hosts";

    // Probes: stand-ins around one value, so the engine's own rule judges that value alone.
    private static final String PROBE_USER = "probe";
    private static final String PROBE_PATH = "/probe";
    private static final String PROBE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n";
    private static final SshCredentials PROBE_CREDENTIALS =
            SshCredentials.ofKeyText(PROBE_USER, PROBE_KEY, null, "probe");
    private static final HostKeyVerification PROBE_HOST_KEYS = HostKeyVerification.knownHosts("");

    /** How a host's key is checked; deliberately without a mode that skips the check. */
    private enum HostKeyPolicy {
        STRICT,
        ACCEPT_NEW
    }

    private final ConfigReader reader;
    private final YamlNode defaults;
    private final String defaultsPath;

    /** Reads and checks {@code environment}'s {@code ssh:} block, if it has one. */
    SshTargets(ConfigReader reader, YamlNode environment) {
        this.reader = reader;
        this.defaultsPath = ConfigReader.path(environment, "ssh");
        YamlNode block = environment.map.get("ssh");
        this.defaults = block != null && reader.isMap(block) ? block : null;
        if (defaults != null) {
            checkDefaults();
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
    private void checkDefaults() {
        refuseWrittenSecrets(defaults);
        for (String perTarget : List.of("host", "name")) {
            if (defaults.map.containsKey(perTarget)) {
                reader.problem(
                        defaults.map.get(perTarget),
                        ConfigReader.path(defaults, perTarget),
                        "is given per target: list each host under targets, e.g. - host: web-1.example.com");
            }
        }
        reader.checkKeys(defaults, SETTINGS, union(WRITTEN_SECRETS.keySet(), Set.of("host", "name")));
        ifPresent(defaults, "user", this::user);
        ifPresent(defaults, "port", this::port);
        ifPresent(defaults, "path", n -> remotePath(n, null));
        ifPresent(defaults, "identityFile", this::keyFileName);
        ifPresent(defaults, "identityEnv", n -> variableName(n, "private key"));
        ifPresent(defaults, "passphraseEnv", n -> variableName(n, "passphrase"));
        ifPresent(defaults, "knownHosts", reader::string);
        ifPresent(defaults, "hostKeyPolicy", this::hostKeyPolicy);
        ifPresent(defaults, "retries", this::retries);
        settings(defaults);
        if (defaults.map.containsKey("identityFile") && defaults.map.containsKey("identityEnv")) {
            bothIdentities(defaults);
        }
        if (defaults.map.containsKey("passphraseEnv") && !hasIdentity(defaults)) {
            reader.problem(
                    defaults.map.get("passphraseEnv"),
                    ConfigReader.path(defaults, "passphraseEnv"),
                    "a passphrase belongs to the key it unlocks: give passphraseEnv next to that key's identityFile"
                            + " or identityEnv");
        }
    }

    /** The target {@code entry} describes (it has a host), or null when it has problems (reported). */
    SshTarget target(YamlNode entry) {
        refuseWrittenSecrets(entry);
        reader.checkKeys(entry, TARGET, WRITTEN_SECRETS.keySet());
        String host = host(entry.map.get("host"));
        Integer port = setting(entry, "port") == null ? Integer.valueOf(DEFAULT_PORT) : port(setting(entry, "port"));
        String name = entry.map.containsKey("name") ? name(entry.map.get("name"), host, port) : null;
        String root = required(
                entry, "path", "the deploy path on the host, such as path: /srv/app", n -> remotePath(n, host));
        String user = required(entry, "user", "the user to log in as, such as user: deploy", this::user);
        SshCredentials credentials = credentials(entry, user);
        HostKeyVerification hostKeys = hostKeys(entry, host, port);
        SshSettings settings = settings(entry);
        if (host == null
                || port == null
                || (entry.map.containsKey("name") && name == null)
                || root == null
                || credentials == null
                || hostKeys == null
                || settings == null) {
            return null;
        }
        return reader.guard(entry, () -> {
            SshTarget target = new SshTarget(name, host, port, root, credentials, hostKeys, settings);
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

    // ---- who: user, key, passphrase ------------------------------------------------------------

    private String user(YamlNode node) {
        String user = reader.string(node);
        if (user == null) {
            return null;
        }
        return reader.check(node, () -> SshCredentials.ofKeyText(user, PROBE_KEY, null, "probe")) ? user : null;
    }

    /**
     * The user and key, with the passphrase if one is named. {@code identityFile} and {@code
     * identityEnv} are one setting: a target giving either replaces the {@code ssh:} block's.
     */
    private SshCredentials credentials(YamlNode entry, String user) {
        YamlNode level = hasIdentity(entry) ? entry : defaults != null && hasIdentity(defaults) ? defaults : null;
        if (level == null) {
            reader.problem(
                    entry,
                    ConfigReader.path(entry, "identityFile"),
                    "is missing: give the private key file (identityFile: ~/.ssh/deploy_ed25519) or the environment"
                            + " variable holding the key (identityEnv: DEPLOY_SSH_KEY), for this target or for every"
                            + " SSH target in " + defaultsPath);
            return null;
        }
        if (level.map.containsKey("identityFile") && level.map.containsKey("identityEnv")) {
            bothIdentities(level);
            return null;
        }
        // A passphrase belongs to the key it unlocks: the ssh: block's goes with the ssh: block's key.
        YamlNode passphraseNode = entry.map.containsKey("passphraseEnv")
                ? entry.map.get("passphraseEnv")
                : level == defaults ? defaults.map.get("passphraseEnv") : null;
        YamlNode keyNode =
                level.map.containsKey("identityFile") ? level.map.get("identityFile") : level.map.get("identityEnv");
        Key key = level.map.containsKey("identityFile") ? keyFile(keyNode) : keyVariable(keyNode);
        char[] passphrase = passphraseNode == null ? null : passphrase(passphraseNode);
        if (key == null || (passphraseNode != null && passphrase == null)) {
            return null;
        }
        if (passphrase == null && PrivateKeyText.isEncrypted(key.text)) {
            reader.problem(
                    keyNode,
                    "the key from " + key.source + " is protected by a passphrase: name the environment variable"
                            + " holding it with passphraseEnv");
            return null;
        }
        // Without a valid user (reported already) the key is still checked, for a stand-in user.
        String login = user == null ? PROBE_USER : user;
        SshCredentials credentials;
        try {
            credentials = key.file == null
                    ? SshCredentials.ofKeyText(login, key.text, passphrase, key.source)
                    : SshCredentials.ofKeyFile(login, key.file, passphrase);
        } catch (IllegalArgumentException | IOException e) {
            reader.problem(keyNode, e.getMessage());
            return null;
        }
        return user == null ? null : credentials;
    }

    /**
     * A key's text, where it came from (the only part of it a message may show) and its file, if it
     * has one.
     */
    private record Key(String text, String source, Path file) {
        @Override
        public String toString() {
            return source;
        }
    }

    private Key keyFile(YamlNode node) {
        String written = keyFileName(node);
        if (written == null) {
            return null;
        }
        Path file = reader.localPath(written);
        String shown = shown(written, file);
        if (!Files.exists(file)) {
            reader.problem(
                    node,
                    shown + " does not exist: give a private key file, such as ~/.ssh/id_ed25519 (ssh-keygen -t"
                            + " ed25519 -f FILE makes one; FILE.pub then goes into ~/.ssh/authorized_keys on the"
                            + " hosts)");
            return null;
        }
        if (!Files.isRegularFile(file)) {
            reader.problem(node, shown + " is not a file: give the private key file");
            return null;
        }
        try {
            return new Key(Files.readString(file, StandardCharsets.ISO_8859_1), "key file " + file, file);
        } catch (IOException e) {
            reader.problem(
                    node,
                    shown + " cannot be read (" + e.getClass().getSimpleName() + "): make it readable by the user"
                            + " running deploy-rollback, and by no one else (chmod 600)");
            return null;
        }
    }

    /** The key file's name as written, unless it is no file name at all. */
    private String keyFileName(YamlNode node) {
        String written = reader.string(node);
        if (written == null) {
            return null;
        }
        if (PrivateKeyText.looksLikeKey(written)) {
            reader.problem(
                    node, "holds what looks like the private key itself, not the path of its file; " + KEY_INSTEAD);
            return null;
        }
        if (written.endsWith(".pub")) {
            reader.problem(
                    node, Text.quote(written) + " is a public key: give the private key, the same path without .pub");
            return null;
        }
        return written;
    }

    private Key keyVariable(YamlNode node) {
        String name = variableName(node, "private key");
        if (name == null) {
            return null;
        }
        String value = reader.secretVariable(name);
        if (value == null || value.isBlank()) {
            reader.problem(
                    node,
                    "environment variable " + name + " is " + (value == null ? "not set" : "empty")
                            + ": set it to the text of the private key (-----BEGIN … PRIVATE KEY----- …) before"
                            + " running deploy-rollback, or give a key file with identityFile");
            return null;
        }
        return new Key(value, "environment variable " + name, null);
    }

    private char[] passphrase(YamlNode node) {
        String name = variableName(node, "passphrase");
        if (name == null) {
            return null;
        }
        String value = reader.secretVariable(name);
        if (value == null || value.isEmpty()) {
            reader.problem(
                    node,
                    "environment variable " + name + " is " + (value == null ? "not set" : "empty")
                            + ": set it to the passphrase of the SSH key before running deploy-rollback, or leave out"
                            + " passphraseEnv when the key has none");
            return null;
        }
        return value.toCharArray();
    }

    /** The environment variable's name written at {@code node}; an invalid one is never repeated: it may be the secret. */
    private String variableName(YamlNode node, String holding) {
        String name = reader.string(node);
        if (name == null) {
            return null;
        }
        if (VARIABLE.matcher(name).matches()) {
            return name;
        }
        if (PrivateKeyText.looksLikeKey(name)) {
            reader.problem(node, "holds what looks like the private key itself, not a variable's name; " + KEY_INSTEAD);
        } else if (name.startsWith("$")) {
            reader.problem(node, "give the variable's name alone, without $ or ${…}");
        } else {
            reader.problem(
                    node,
                    "is not the name of an environment variable (letters, digits and _, not starting with a digit):"
                            + " give the name of the variable that holds the " + holding
                            + " (the value written is not repeated here, in case it is the secret itself)");
        }
        return null;
    }

    private void bothIdentities(YamlNode level) {
        reader.problem(
                level.map.get("identityEnv"),
                ConfigReader.path(level, "identityEnv"),
                "give either identityFile (a key file) or identityEnv (an environment variable holding the key),"
                        + " not both");
    }

    private static boolean hasIdentity(YamlNode node) {
        return node.map.containsKey("identityFile") || node.map.containsKey("identityEnv");
    }

    // ---- trust: host keys ----------------------------------------------------------------------

    private HostKeyPolicy hostKeyPolicy(YamlNode node) {
        String policy = reader.string(node);
        if ("strict".equals(policy)) {
            return HostKeyPolicy.STRICT;
        }
        if ("accept-new".equals(policy)) {
            return HostKeyPolicy.ACCEPT_NEW;
        }
        if (policy != null) {
            reader.problem(
                    node,
                    Text.quote(policy) + " is not allowed: use strict (the default: only host keys listed in"
                            + " knownHosts are trusted) or accept-new (a host seen for the first time is trusted and"
                            + " its key recorded in knownHosts; a changed key is refused). There is deliberately no"
                            + " setting that skips host key checking: it would let whoever sits between here and the"
                            + " host receive the release and run its hooks");
        }
        return null;
    }

    private HostKeyVerification hostKeys(YamlNode entry, String host, Integer port) {
        YamlNode policyNode = setting(entry, "hostKeyPolicy");
        HostKeyPolicy policy = policyNode == null ? HostKeyPolicy.STRICT : hostKeyPolicy(policyNode);
        YamlNode fileNode = setting(entry, "knownHosts");
        String written = fileNode == null ? DEFAULT_KNOWN_HOSTS : reader.string(fileNode);
        if (policy == null || written == null) {
            return null;
        }
        Path file = reader.localPath(written);
        YamlNode at = fileNode == null ? entry : fileNode;
        String atPath = fileNode == null ? ConfigReader.path(entry, "knownHosts") : fileNode.path;
        String shown = fileNode == null ? written + " (the default, " + file + ")" : shown(written, file);
        if (policy == HostKeyPolicy.ACCEPT_NEW) {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                reader.problem(at, atPath, shown + " is not a file: give the known_hosts file to record host keys in");
                return null;
            }
            if (Files.exists(file) && !(Files.isReadable(file) && Files.isWritable(file))) {
                reader.problem(
                        at,
                        atPath,
                        shown + " cannot be read and written by this user, and accept-new records the keys of new"
                                + " hosts in it: make it readable and writable");
                return null;
            }
            return HostKeyVerification.acceptNew(file);
        }
        String addHost = host == null || port == null
                ? ""
                : ": after checking " + host + "'s key fingerprint (ssh-keyscan -p " + port + " " + host
                        + " | ssh-keygen -lf - shows it; compare with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"
                        + " run on the host), add it with ssh-keyscan -p " + port + " " + host + " >> " + file;
        if (!Files.exists(file)) {
            reader.problem(
                    at,
                    atPath,
                    shown + " does not exist, and strict host key checking trusts only the host keys listed there"
                            + addHost + "; or set hostKeyPolicy: accept-new to record each host's key on first"
                            + " connection");
            return null;
        }
        if (!Files.isRegularFile(file)) {
            reader.problem(at, atPath, shown + " is not a file: give the known_hosts file listing the hosts' keys");
            return null;
        }
        if (!Files.isReadable(file)) {
            reader.problem(at, atPath, shown + " cannot be read by this user: make it readable");
            return null;
        }
        return HostKeyVerification.knownHostsFile(file);
    }

    // ---- how: timeouts and retries -------------------------------------------------------------

    private SshSettings settings(YamlNode entry) {
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
        YamlNode retriesNode = setting(entry, "retries");
        RetryPolicy retry = retriesNode == null ? standard.retry() : retries(retriesNode);
        if (connect == null || command == null || keepAlive == null || retry == null) {
            return null;
        }
        return reader.guard(entry, () -> new SshSettings(connect, command, keepAlive, retry));
    }

    private Duration timeout(YamlNode entry, String key, Duration otherwise, Function<Duration, SshSettings> probe) {
        YamlNode node = setting(entry, key);
        if (node == null) {
            return otherwise;
        }
        Duration value = reader.duration(node);
        return value != null && reader.check(node, () -> probe.apply(value)) ? value : null;
    }

    /** A target's {@code retries} replaces the whole {@code ssh:} one; what it leaves out is the default. */
    private RetryPolicy retries(YamlNode node) {
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

    // ---- settings: the target's own, else the ssh: block's -------------------------------------

    private YamlNode setting(YamlNode entry, String key) {
        YamlNode own = entry.map.get(key);
        return own != null || defaults == null ? own : defaults.map.get(key);
    }

    private <T> T required(YamlNode entry, String key, String what, Function<YamlNode, T> read) {
        YamlNode node = setting(entry, key);
        if (node == null) {
            reader.problem(
                    entry,
                    ConfigReader.path(entry, key),
                    "is missing: give " + what + ", for this target or for every SSH target in " + defaultsPath);
            return null;
        }
        return read.apply(node);
    }

    private static void ifPresent(YamlNode node, String key, Function<YamlNode, ?> read) {
        if (node.map.containsKey(key)) {
            read.apply(node.map.get(key));
        }
    }

    private static String shown(String written, Path resolved) {
        return written.equals(resolved.toString()) ? written : written + " (" + resolved + ")";
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}

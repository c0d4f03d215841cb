package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Who an SSH target logs in as: the user, the private key from a file or an environment variable,
 * and the passphrase from an environment variable. No message ever repeats a key, a passphrase or a
 * value that might be one; a value that looks like a key written in place of its file or variable is
 * refused.
 */
final class SshLogin {
    static final String KEY_INSTEAD = "a private key is never written in this file: give the path of its file"
            + " (readable only by you) with identityFile, or the name of an environment variable holding it with"
            + " identityEnv";

    // Probes: a stand-in user and key, so the engine's own rule judges the other value alone.
    static final String PROBE_USER = "probe";
    static final String PROBE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n";
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final ConfigReader reader;
    private final SshDefaults defaults;

    SshLogin(ConfigReader reader, SshDefaults defaults) {
        this.reader = reader;
        this.defaults = defaults;
    }

    /** The user to log in as, checked by the engine's rule. */
    String user(YamlNode node) {
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
    SshCredentials credentials(YamlNode entry, String user) {
        YamlNode block = defaults.node();
        YamlNode level = hasIdentity(entry) ? entry : block != null && hasIdentity(block) ? block : null;
        if (level == null) {
            reader.problem(
                    entry,
                    ConfigReader.path(entry, "identityFile"),
                    "is missing: give the private key file (identityFile: ~/.ssh/deploy_ed25519) or the environment"
                            + " variable holding the key (identityEnv: DEPLOY_SSH_KEY), for this target or for every"
                            + " SSH target in " + defaults.path());
            return null;
        }
        if (level.map.containsKey("identityFile") && level.map.containsKey("identityEnv")) {
            bothIdentities(level);
            return null;
        }
        // A passphrase belongs to the key it unlocks: the ssh: block's goes with the ssh: block's key.
        YamlNode passphraseNode = entry.map.containsKey("passphraseEnv")
                ? entry.map.get("passphraseEnv")
                : level == block ? block.map.get("passphraseEnv") : null;
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
        String shown = ConfigReader.shown(written, file);
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
    String keyFileName(YamlNode node) {
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
    String variableName(YamlNode node, String holding) {
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

    /**
     * Checks that the {@code ssh:} block's key settings belong together: one key, and a passphrase only
     * beside the key it unlocks.
     */
    void checkDefaults() {
        YamlNode block = defaults.node();
        if (block.map.containsKey("identityFile") && block.map.containsKey("identityEnv")) {
            bothIdentities(block);
        }
        if (block.map.containsKey("passphraseEnv") && !hasIdentity(block)) {
            reader.problem(
                    block.map.get("passphraseEnv"),
                    ConfigReader.path(block, "passphraseEnv"),
                    "a passphrase belongs to the key it unlocks: give passphraseEnv next to that key's identityFile"
                            + " or identityEnv");
        }
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
}

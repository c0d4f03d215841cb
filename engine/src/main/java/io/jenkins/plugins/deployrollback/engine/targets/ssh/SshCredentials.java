package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A user name and the private key (with its optional passphrase) that log in to SSH targets. The key
 * and passphrase are held as bytes, handed only to JSch, and never appear in {@link #toString()},
 * messages or records: only where the key came from does ("key file /home/ci/.ssh/deploy", "key of
 * credentials deploy-key").
 */
public final class SshCredentials {
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");

    private final String user;
    private final byte[] key;
    private final byte[] passphrase;
    private final String source;

    private SshCredentials(String user, byte[] key, byte[] passphrase, String source) {
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("SSH user " + Text.quote(String.valueOf(user))
                    + " is invalid: use letters, digits and . _ - (at most 64), not starting with . or -");
        }
        if (!looksLikePrivateKey(key)) {
            throw new IllegalArgumentException("The SSH key from " + source
                    + " is not a private key: expected a PEM or OpenSSH private key (-----BEGIN … PRIVATE KEY-----)"
                    + " or a PuTTY key file");
        }
        this.user = user;
        this.key = key;
        this.passphrase = passphrase;
        this.source = source;
    }

    /**
     * A key given as text, as the Jenkins Credentials plugin hands it over.
     *
     * @param source where it came from, for messages ({@code credentials deploy-key}); never the key
     * @param passphrase null or empty when the key has none
     */
    public static SshCredentials ofKeyText(String user, String privateKey, char[] passphrase, String source) {
        return new SshCredentials(
                user,
                privateKey == null ? new byte[0] : privateKey.getBytes(StandardCharsets.UTF_8),
                bytes(passphrase),
                source == null ? "key text" : source);
    }

    /** A key read from {@code file}. */
    public static SshCredentials ofKeyFile(String user, Path file, char[] passphrase) throws IOException {
        byte[] key;
        try {
            key = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(
                    "Cannot read the SSH private key file " + file + " ("
                            + e.getClass().getSimpleName() + "): give a readable private key file",
                    e);
        }
        return new SshCredentials(user, key, bytes(passphrase), "key file " + file);
    }

    private static byte[] bytes(char[] passphrase) {
        return passphrase == null || passphrase.length == 0
                ? null
                : new String(passphrase).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean looksLikePrivateKey(byte[] key) {
        if (key == null || key.length == 0) {
            return false;
        }
        String head = new String(key, 0, Math.min(key.length, 200), StandardCharsets.US_ASCII).trim();
        return (head.startsWith("-----BEGIN ") && head.contains("PRIVATE KEY-----"))
                || head.startsWith("PuTTY-User-Key-File-");
    }

    public String user() {
        return user;
    }

    /** Where the key came from, safe to print. */
    public String source() {
        return source;
    }

    /** A copy of the key's bytes, for JSch only. */
    byte[] key() {
        return key.clone();
    }

    /** A copy of the passphrase's bytes, or null; for JSch only. */
    byte[] passphrase() {
        return passphrase == null ? null : passphrase.clone();
    }

    /** The key and passphrase as secrets to mask, should a command ever print one (or a line of the key). */
    public Secrets secrets() {
        return Secrets.value(key).and(Secrets.value(passphrase));
    }

    @Override
    public String toString() {
        return user + " with the " + source + (passphrase == null ? "" : " (passphrase set)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SshCredentials other
                && user.equals(other.user)
                && Arrays.equals(key, other.key)
                && Arrays.equals(passphrase, other.passphrase);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }
}

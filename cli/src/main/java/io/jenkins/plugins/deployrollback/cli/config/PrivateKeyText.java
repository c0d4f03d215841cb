package io.jenkins.plugins.deployrollback.cli.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What the configuration can tell about a private key from its text without using it: whether a
 * value is a key pasted where a name belongs, and whether the key needs a passphrase. Only booleans
 * come out of here, never any part of the key.
 */
final class PrivateKeyText {
    private static final String OPENSSH_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String OPENSSH_END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    private PrivateKeyText() {}

    /** True when {@code value} holds a private key, or the start of one. */
    static boolean containsKey(String value) {
        return value.contains("PRIVATE KEY") || value.contains("PuTTY-User-Key-File-");
    }

    /** True when {@code value}, written where a path or a variable's name belongs, looks like key material. */
    static boolean looksLikeKey(String value) {
        return containsKey(value) || value.startsWith("-----") || value.indexOf('\n') >= 0;
    }

    /** True when the key is protected by a passphrase (PEM, PKCS#8, OpenSSH and PuTTY formats). */
    static boolean isEncrypted(String key) {
        if (key.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || key.contains("Proc-Type: 4,ENCRYPTED")) {
            return true;
        }
        if (key.startsWith("PuTTY-User-Key-File-")) {
            return !key.contains("\nEncryption: none");
        }
        int begin = key.indexOf(OPENSSH_BEGIN);
        int end = key.indexOf(OPENSSH_END);
        return begin >= 0 && end > begin && openSshCipherIsNotNone(key.substring(begin + OPENSSH_BEGIN.length(), end));
    }

    // openssh-key-v1 layout: the magic, then the cipher's name as a uint32-length-prefixed string.
    private static boolean openSshCipherIsNotNone(String base64) {
        try {
            ByteBuffer data = ByteBuffer.wrap(Base64.getMimeDecoder().decode(base64));
            byte[] magic = new byte[OPENSSH_MAGIC.length];
            data.get(magic);
            if (!java.util.Arrays.equals(magic, OPENSSH_MAGIC)) {
                return false;
            }
            byte[] cipher = new byte[data.getInt()];
            data.get(cipher);
            return !"none".equals(new String(cipher, StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            // Not a well-formed OpenSSH key: the engine refuses it with its own message.
            return false;
        }
    }
}

package io.jenkins.plugins.deployrollback.engine.target.ssh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Masks the secrets of a target's credentials in text that leaves the engine: remote output, hook
 * output and error messages. A remote command that prints the passphrase or a line of the private key
 * shows {@code ****} instead.
 */
final class SecretMask {
    private static final String MASK = "****";

    private final List<String> secrets = new ArrayList<>();

    SecretMask(SshCredentials credentials) {
        secrets.addAll(credentials.secrets());
        for (String line : new String(credentials.key(), StandardCharsets.UTF_8).split("\n")) {
            String trimmed = line.trim();
            // The armour lines are not secret; the base64 body is.
            if (trimmed.length() >= 16 && !trimmed.startsWith("-----")) {
                secrets.add(trimmed);
            }
        }
        secrets.sort((a, b) -> b.length() - a.length());
    }

    String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }
}

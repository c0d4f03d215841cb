package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.support.Secrets;

/**
 * Masks the secrets of a target's credentials in text that leaves the engine: remote output, hook
 * output and error messages. A remote command that prints the passphrase or a line of the private key
 * shows {@code ****} instead.
 */
final class SecretMask {
    private final Secrets secrets;

    SecretMask(SshCredentials credentials) {
        this.secrets = credentials.secrets();
    }

    String mask(String text) {
        return secrets.mask(text);
    }
}

package io.jenkins.plugins.deployrollback.config;

import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshCredentials;
import java.io.Serializable;

/**
 * An SSH user and private key as they travel from the controller's credentials store to the agent
 * that runs the engine: over the Remoting channel only, never logged, never stored. Every text form
 * names the credentials ID alone.
 */
public final class SshKey implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String credentialsId;
    private final String user;
    private final String privateKey;
    private final char[] passphrase;

    public SshKey(String credentialsId, String user, String privateKey, char[] passphrase) {
        this.credentialsId = credentialsId;
        this.user = user;
        this.privateKey = privateKey;
        this.passphrase = passphrase == null ? null : passphrase.clone();
    }

    /** The engine's credentials; they keep the key in memory only. */
    public SshCredentials toEngine() {
        return SshCredentials.ofKeyText(user, privateKey, passphrase, "credentials " + credentialsId);
    }

    @Override
    public String toString() {
        return "SSH key of credentials " + credentialsId;
    }
}

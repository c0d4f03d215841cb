package io.jenkins.plugins.deployrollback;

import static org.junit.Assume.assumeTrue;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;

/**
 * One host to deploy to, as a rule: a real OpenSSH server on loopback (the engine's {@link SshServer}
 * fixture, with generated host and user keys), its login key as Jenkins credentials, and the step
 * arguments that reach it. The sshd runs on this machine, so a test reads the host's deploy root
 * directly. A test that starts it is skipped, not failed, where OpenSSH's server is not installed.
 */
final class DeployHost extends ExternalResource {
    static final String CREDENTIALS_ID = "deploy-key";

    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final TemporaryFolder folder = new TemporaryFolder();
    private SshServer server;

    @Override
    protected void before() throws Throwable {
        folder.create();
    }

    @Override
    protected void after() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping " + server, e);
        } finally {
            folder.delete();
        }
    }

    /**
     * Starts the host's sshd and adds its login key to Jenkins' global credentials as {@value
     * #CREDENTIALS_ID}; skips the test where there is no sshd.
     */
    void start() throws IOException, InterruptedException {
        assumeTrue("needs OpenSSH's server at " + SSHD, Files.isExecutable(SSHD));
        server = SshServer.start(folder.getRoot().toPath(), "web-1");
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials()
                .add(new BasicSSHUserPrivateKey(
                        CredentialsScope.GLOBAL,
                        CREDENTIALS_ID,
                        server.user(),
                        new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(server.userPrivateKey()),
                        null,
                        "test"));
        store.save();
    }

    /**
     * The step arguments that deploy to this host: {@code hosts}, {@code path}, {@code credentialsId}
     * and {@code knownHosts}, as a Pipeline script writes them.
     */
    String target() {
        return "hosts: ['" + address() + "'], path: '" + root() + "', credentialsId: '" + CREDENTIALS_ID
                + "', knownHosts: '" + server.knownHostsLine() + "'";
    }

    /** {@code 127.0.0.1:PORT}: the host as the step's {@code hosts} names it, and as plans and reports call it. */
    String address() {
        return server.host() + ":" + server.port();
    }

    /** Freezes the host's sshd: connections are accepted and never answered, until {@link #resume()}. */
    void pause() throws IOException, InterruptedException {
        server.pause();
    }

    /** Lets a paused host answer again. */
    void resume() throws IOException, InterruptedException {
        server.resume();
    }

    /** The deploy root on the host. */
    Path root() {
        return server.root();
    }

    /** The lines of the private key's body: each is a secret, unlike the key's BEGIN and END lines. */
    List<String> privateKeyLines() {
        return server.userPrivateKey()
                .lines()
                .filter(line -> !line.startsWith("-----") && line.length() >= 20)
                .toList();
    }
}

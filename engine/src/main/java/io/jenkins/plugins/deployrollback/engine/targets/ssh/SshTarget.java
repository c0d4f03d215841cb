package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.Retrying;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.io.IOException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Linux host reached over SSH, with releases installed under {@code root} in the same layout as a
 * {@link io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget}. The host needs a POSIX
 * {@code sh}, {@code awk} and coreutils ({@code ln}, {@code mv -T}, {@code readlink}, {@code sha256sum}), and
 * {@code flock} from util-linux; {@code openssl} is used for checksums when present (it is faster).
 */
public final class SshTarget implements Target {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,199}");
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]{2,45}]|[0-9A-Fa-f:.]{2,45}");
    private static final Pattern ROOT = Pattern.compile("/[A-Za-z0-9._@+/-]*");

    private final String name;
    private final String host;
    private final int port;
    private final String root;
    private final SshCredentials credentials;
    private final HostKeyVerification hostKeys;
    private final SshSettings settings;
    private Retrying.Pause pause = Retrying.Pause.SLEEP;
    private SshConnectionPool pool;

    /**
     * @param name how reports call it; null for the host name (with {@code :port} unless it is 22)
     * @param root absolute path on the host of the folder holding {@code releases/}, {@code current}, …
     */
    public SshTarget(
            String name,
            String host,
            int port,
            String root,
            SshCredentials credentials,
            HostKeyVerification hostKeys,
            SshSettings settings) {
        this.host = checkHost(host);
        this.port = checkPort(port, host);
        this.root = checkRoot(root, this.host);
        this.credentials = Objects.requireNonNull(credentials, "SSH credentials");
        this.hostKeys = Objects.requireNonNull(hostKeys, "host key verification");
        this.settings = settings == null ? SshSettings.DEFAULT : settings;
        this.name = name == null ? (port == 22 ? this.host : this.host + ":" + port) : name;
        if (!NAME.matcher(this.name).matches()) {
            throw new IllegalArgumentException(
                    "Target name " + Text.quote(this.name)
                            + " is invalid: use letters, digits and . _ : @ / + - (at most 200), starting with a letter or digit");
        }
    }

    /** {@code host} without the brackets an IPv6 address may be written in; refused when it is no host name or address. */
    static String checkHost(String host) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("SSH host " + Text.quote(String.valueOf(host))
                    + " is invalid: give a host name or an IP address, without user or port");
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    static int checkPort(int port, String host) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SSH port " + port + " of " + host + " is invalid: use 1 to 65535");
        }
        return port;
    }

    private static String checkRoot(String root, String host) {
        String normal = root == null ? "" : root.replaceAll("/+", "/");
        if (normal.length() > 1 && normal.endsWith("/")) {
            normal = normal.substring(0, normal.length() - 1);
        }
        if (!ROOT.matcher(normal).matches()
                || normal.equals("/")
                || ("/" + normal + "/").contains("/../")
                || ("/" + normal + "/").contains("/./")) {
            throw new IllegalArgumentException("Deploy path " + Text.quote(String.valueOf(root)) + " of " + host
                    + " is invalid: give an absolute path other than /, without . or .. segments, made of letters,"
                    + " digits and . _ @ + - /");
        }
        return normal;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The deploy path on the host. */
    public String root() {
        return root;
    }

    public SshCredentials credentials() {
        return credentials;
    }

    @Override
    public io.jenkins.plugins.deployrollback.engine.support.Secrets secrets() {
        return credentials.secrets();
    }

    public HostKeyVerification hostKeys() {
        return hostKeys;
    }

    public SshSettings settings() {
        return settings;
    }

    /** {@code deploy@web-1:22:/srv/app}: where, never with what key. */
    public String address() {
        return credentials.user() + "@" + host + ":" + port + ":" + root;
    }

    /**
     * This target waiting between retries with {@code retryPause} instead of sleeping: for front ends
     * that wait their own way, and tests that act while a retry waits.
     */
    public SshTarget withRetryPause(Retrying.Pause retryPause) {
        SshTarget copy = copy();
        copy.pause = Objects.requireNonNull(retryPause);
        return copy;
    }

    /**
     * This target taking its connection from {@code connections} and giving it back after each
     * operation, for processes that run many operations (see {@link SshConnectionPool}).
     */
    public SshTarget withPool(SshConnectionPool connections) {
        SshTarget copy = copy();
        copy.pool = Objects.requireNonNull(connections, "connection pool");
        return copy;
    }

    private SshTarget copy() {
        SshTarget copy = new SshTarget(name, host, port, root, credentials, hostKeys, settings);
        copy.pause = pause;
        copy.pool = pool;
        return copy;
    }

    /** Where this target's connections come from between operations, or null: a new one per operation. */
    SshConnectionPool pool() {
        return pool;
    }

    @Override
    public TargetSession open(OperationContext context) throws IOException {
        return new SshTargetSession(this, context, pause);
    }

    @Override
    public String toString() {
        return name + " (" + address() + ")";
    }
}

package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One SSH connection to a target: logged in with the target's key after its host key was checked,
 * kept alive, and shared by every command of an operation. Short commands of the engine go through
 * one long-lived {@link ControlShell}; hooks and uploads get channels of their own.
 */
final class SshConnection implements AutoCloseable {
    private volatile SshTarget target;
    private final Session session;
    private final SecretMask mask;
    private final List<Channel> channels = new ArrayList<>();
    private ControlShell shell;
    private final AtomicLong scriptsRun = new AtomicLong();
    private ChannelSftp sftp;

    private SshConnection(SshTarget target, Session session, SecretMask mask) {
        this.target = target;
        this.session = session;
        this.mask = mask;
    }

    /**
     * Connects and logs in.
     *
     * @param accepted told the key of a host trusted on first use (accept-new mode)
     */
    static SshConnection open(SshTarget target, SecretMask mask, java.util.function.Consumer<String> accepted)
            throws IOException {
        HostKeyCheck hostKeys = HostKeyCheck.of(target.hostKeys());
        SshCredentials credentials = target.credentials();
        JSch jsch;
        try {
            jsch = withIdentity(credentials);
        } catch (JSchException e) {
            throw new SshFailure(
                    "The SSH key from " + credentials.source() + " cannot be used for " + target.name() + ": "
                            + (credentials.passphrase() == null
                                    ? "it is not a private key JSch can read, or it is encrypted and no passphrase was given"
                                    : "the passphrase is wrong, or it is not a private key JSch can read")
                            + ".",
                    false,
                    null);
        }
        Session session;
        try {
            session = jsch.getSession(credentials.user(), target.host(), target.port());
            session.setHostKeyRepository(hostKeys);
        } catch (JSchException e) {
            throw new SshFailure("Cannot set up SSH to " + target.name() + ": " + mask.mask(e.getMessage()), false, e);
        }
        String hostInKnownHosts = knownHostsName(target);
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        session.setConfig(
                "server_host_key", hostKeys.preferredAlgorithms(hostInKnownHosts, JSch.getConfig("server_host_key")));
        try {
            session.setServerAliveInterval(
                    Math.toIntExact(target.settings().keepAlive().toMillis()));
            session.setServerAliveCountMax(3);
            session.connect(Math.toIntExact(target.settings().connectTimeout().toMillis()));
        } catch (JSchUnknownHostKeyException e) {
            throw new SshFailure(hostKeys.refusal(target.name(), target.host(), target.port(), false), false, null);
        } catch (JSchChangedHostKeyException e) {
            throw new SshFailure(hostKeys.refusal(target.name(), target.host(), target.port(), true), false, null);
        } catch (JSchException e) {
            throw connectFailure(target, mask, e);
        }
        if (hostKeys.accepted() != null) {
            accepted.accept(hostKeys.accepted());
        }
        return new SshConnection(target, session, mask);
    }

    /** How known_hosts names {@code target}'s host: {@code web-1}, or {@code [web-1]:2222} off port 22. */
    static String knownHostsName(SshTarget target) {
        return target.port() == 22 ? target.host() : "[" + target.host() + "]:" + target.port();
    }

    /**
     * A JSch holding the credentials' key, decrypted once per credentials rather than once per
     * connection: a passphrase-protected key costs a third of a second or more to decrypt, which
     * twenty hosts must not pay twenty times. Kept only while the credentials are in use.
     */
    private static JSch withIdentity(SshCredentials credentials) throws JSchException {
        synchronized (IDENTITIES) {
            JSch jsch = IDENTITIES.get(credentials);
            if (jsch == null) {
                jsch = new JSch();
                jsch.addIdentity(credentials.source(), credentials.key(), null, credentials.passphrase());
                IDENTITIES.put(credentials, jsch);
            }
            return jsch;
        }
    }

    private static final java.util.Map<SshCredentials, JSch> IDENTITIES = new java.util.WeakHashMap<>();

    private static SshFailure connectFailure(SshTarget target, SecretMask mask, JSchException e) {
        String where = target.name() + " (" + target.host() + ":" + target.port() + ")";
        Throwable cause = e.getCause();
        String message = e.getMessage() == null ? "" : e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.startsWith("auth fail") || lower.contains("auth cancel") || lower.contains("userauth fail")) {
            return new SshFailure(
                    "SSH login as " + target.credentials().user() + " to " + where
                            + " failed: the host did not accept the key from "
                            + target.credentials().source()
                            + ". Check that its public key is in ~"
                            + target.credentials().user()
                            + "/.ssh/authorized_keys on the host and that the user name is right. Not retried: a refused key"
                            + " stays refused.",
                    false,
                    null);
        }
        if (cause instanceof UnknownHostException) {
            return new SshFailure(
                    "The host name " + target.host() + " of " + target.name() + " does not resolve: check its spelling"
                            + " and DNS.",
                    false,
                    null);
        }
        if (cause instanceof ConnectException) {
            return new SshFailure("Connection to " + where + " refused (is sshd running there?)", true, null);
        }
        if (cause instanceof NoRouteToHostException) {
            return new SshFailure("No route to " + where + ".", true, null);
        }
        if (cause instanceof SocketTimeoutException || lower.contains("timeout") || lower.contains("timed out")) {
            return new SshFailure(
                    "Connecting to " + where + " timed out after "
                            + target.settings().connectTimeout().toMillis() + " ms.",
                    true,
                    null);
        }
        if (cause instanceof SocketException
                || cause instanceof java.io.EOFException
                || lower.contains("connection is closed")
                || lower.contains("connection reset")
                || lower.contains("session is down")) {
            return new SshFailure(
                    "The connection to " + where + " was closed while logging in (" + mask.mask(message) + ").",
                    true,
                    null);
        }
        return new SshFailure("SSH to " + where + " failed: " + mask.mask(message), false, null);
    }

    SshTarget target() {
        return target;
    }

    /**
     * Lends this connection to {@code next}, a target on the same host, port and user with the same key
     * and host key check (a pool hands it on between operations): messages name the target it serves.
     */
    void serve(SshTarget next) {
        target = next;
    }

    /** The key the host showed when this connection logged in, in known_hosts' encoding: for a pool's recheck. */
    byte[] hostKey() {
        return Base64.getDecoder().decode(session.getHostKey().getKey());
    }

    /**
     * True when nothing runs on this connection but its control shell: every hook and transfer channel
     * is closed, so another operation may have it.
     */
    synchronized boolean quiet() {
        channels.removeIf(Channel::isClosed);
        return channels.isEmpty() && session.isConnected() && (shell == null || shell.alive());
    }

    /** Closes the SFTP channel, if open: a pool keeps no transfer state between operations. */
    synchronized void closeSftp() {
        if (sftp != null) {
            sftp.disconnect();
            sftp = null;
        }
    }

    SecretMask mask() {
        return mask;
    }

    boolean isConnected() {
        return session.isConnected();
    }

    /**
     * A failure of a command or transfer. When it was the connection that broke (or it broke without
     * JSch noticing yet), the connection is dropped and the failure is retryable: the next attempt
     * connects again.
     */
    SshFailure lost(String doing, Exception e) {
        if (e instanceof InterruptedIOException) {
            return new SshFailure("Interrupted while " + doing + " on " + target.name() + ".", false, e);
        }
        boolean broken = !session.isConnected() || isTransport(e);
        if (broken) {
            session.disconnect();
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : mask.mask(e.getMessage());
        return new SshFailure(
                broken
                        ? "The connection to " + target.name() + " was lost while " + doing + " (" + detail + ")."
                        : doing + " on " + target.name() + " failed: " + detail,
                broken,
                null);
    }

    /** True when {@code e} is the transport failing, not the host refusing what was asked. */
    private static boolean isTransport(Exception e) {
        if (e instanceof com.jcraft.jsch.SftpException sftp) {
            // "no such file", "permission denied", … are answers; a failure with a cause is the pipe breaking.
            return sftp.id == ChannelSftp.SSH_FX_FAILURE && sftp.getCause() != null
                    || sftp.id == ChannelSftp.SSH_FX_CONNECTION_LOST
                    || sftp.id == ChannelSftp.SSH_FX_NO_CONNECTION;
        }
        return e instanceof IOException || e instanceof JSchException || e instanceof RuntimeException;
    }

    /**
     * True when the host still answers on this connection: one round trip through the control shell,
     * within the connect timeout. A connection JSch still believes in may have died without a word
     * (a host rebooted, a NAT forgot it); this finds out before an operation relies on it.
     */
    boolean answers() {
        try {
            return shell().run(
                            ":",
                            "deploy-rollback-probe",
                            List.of(),
                            target.settings().connectTimeout())
                    .ok();
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs one of the engine's scripts in the control shell. */
    ControlShell.Result run(String script, String name, List<String> args) throws IOException {
        scriptsRun.incrementAndGet();
        return shell().run(script, name, args, target.settings().commandTimeout());
    }

    /** How many of the engine's scripts ran on this connection since the last call: its round trips. */
    long takeScriptsRun() {
        return scriptsRun.getAndSet(0);
    }

    private synchronized ControlShell shell() throws IOException {
        if (shell == null || !shell.alive()) {
            shell = ControlShell.start(this);
            channels.remove(shell.channel()); // the shell is the connection's own, not a command running on it
        }
        return shell;
    }

    /** A new exec channel running {@code command} (not yet connected). */
    ChannelExec exec(String command) throws IOException {
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            synchronized (this) {
                channels.removeIf(Channel::isClosed);
                channels.add(channel);
            }
            return channel;
        } catch (JSchException | RuntimeException e) {
            throw lost("opening a channel", e);
        }
    }

    /** Connects {@code channel} within the connect timeout. */
    void connect(Channel channel) throws IOException {
        try {
            channel.connect(Math.toIntExact(target.settings().connectTimeout().toMillis()));
        } catch (JSchException | RuntimeException e) {
            throw lost("starting a remote command", e);
        }
    }

    /** The connection's SFTP channel, opened on first use. */
    synchronized ChannelSftp sftp() throws IOException {
        if (sftp == null || sftp.isClosed()) {
            try {
                ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
                channel.connect(
                        Math.toIntExact(target.settings().connectTimeout().toMillis()));
                sftp = channel;
            } catch (JSchException e) {
                if (session.isConnected()) {
                    // The connection works and the server said no to the sftp subsystem: not a passing fault.
                    throw new SshFailure(
                            "SFTP is not available on " + target.name() + ": its SSH server refused the sftp"
                                    + " subsystem (" + mask.mask(String.valueOf(e.getMessage())) + "), and releases"
                                    + " are uploaded with SFTP. Enable it in the host's sshd_config (Subsystem sftp"
                                    + " internal-sftp, or the path of sftp-server) and reload sshd.",
                            false,
                            null);
                }
                throw lost("starting SFTP", e);
            }
        }
        return sftp;
    }

    /**
     * Starts opening the SFTP channel on a thread of its own, for an operation that will most likely
     * upload: the host starts its sftp-server while the operation locks and plans. A failure here is
     * left for the upload to meet again and report.
     */
    void openSftpSoon() {
        Thread opener = new Thread(
                () -> {
                    try {
                        sftp();
                    } catch (IOException | RuntimeException e) {
                        // reported by the upload, which opens the channel again
                    }
                },
                "deploy-rollback sftp " + target.name());
        opener.setDaemon(true);
        opener.start();
    }

    /** Kills a remote process and its process group (a timed-out or abandoned command). */
    void kill(long pid) {
        try {
            ChannelExec channel =
                    exec(ShellQuote.script(Scripts.KILL, "deploy-rollback-kill", List.of(Long.toString(pid))));
            ChannelOutput out = new ChannelOutput();
            channel.setOutputStream(out);
            connect(channel);
            out.awaitClosed(
                    System.nanoTime() + target.settings().connectTimeout().toNanos());
            channel.disconnect();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The connection is gone: sshd closes the command's pipes, and the command dies of it.
        }
    }

    @Override
    public synchronized void close() {
        if (shell != null) {
            shell.close();
        }
        if (sftp != null) {
            sftp.disconnect();
        }
        session.disconnect();
    }
}

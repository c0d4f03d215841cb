package io.jenkins.plugins.deployrollback.engine.bench;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.HostKeyVerification;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import io.jenkins.plugins.deployrollback.engine.testing.ExecResult;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts an SSH operation is made of, each timed alone on one host, to explain the totals: what a
 * new connection costs against one more script on an open one, and what a deploy's staging consists of
 * (keeping the artifacts, the SFTP upload, syncing and hashing on the host) against scp.
 */
final class Anatomy {
    /** Reference times, in the order they were added. */
    private final Map<String, Samples> parts = new LinkedHashMap<>();

    Map<String, Samples> parts() {
        return parts;
    }

    private Samples part(String name) {
        return parts.computeIfAbsent(name, n -> new Samples());
    }

    /**
     * An SSH target's session: the first call (TCP, key exchange, login, the control shell, one script)
     * and the next ones (a script each), against the OpenSSH client running {@code true}.
     */
    void connection(SshServer host, OpenSsh openSsh, int rounds) throws IOException, InterruptedException {
        SshTarget target = new SshTarget(
                host.name(),
                host.host(),
                host.port(),
                host.root().resolve("anatomy").toString(),
                host.credentials(),
                HostKeyVerification.knownHosts(host.knownHostsLine()),
                null);
        OperationContext context = new OperationContext(
                EnvironmentName.of("anatomy"),
                Operation.DEPLOY,
                "benchmark",
                Clock.systemUTC(),
                ProgressListener.SILENT);
        for (int round = 0; round < rounds; round++) {
            part("OpenSSH client: `ssh host true` (new process and connection)")
                    .add(openSsh.runAll(List.of(host.sshCommand("true"))));
            long start = System.nanoTime();
            try (TargetSession session = target.open(context)) {
                session.inspect();
                long first = System.nanoTime();
                session.inspect();
                long second = System.nanoTime();
                session.inspect();
                long third = System.nanoTime();
                part("SSH target: first call of a session (connect, log in, control shell, one script)")
                        .add(first - start);
                part("SSH target: each later script on the open connection (inspect)")
                        .add(((second - first) + (third - second)) / 2);
            }
        }
        FileTrees.delete(host.root().resolve("anatomy"));
    }

    /** What staging {@code file} (the release's only file) to one host consists of, each part alone. */
    void transfer(SshServer host, Release release, ArtifactSource source, Path file, Path work)
            throws IOException, InterruptedException {
        Path store = work.resolve("anatomy-store");
        long start = System.nanoTime();
        new FileArtifactStore(store).keep(release, source);
        part("local: keep the artifacts (copy into the artifact store)").add(System.nanoTime() - start);
        FileTrees.delete(store);

        Path remote = Files.createDirectories(host.root().resolve("anatomy")).resolve("upload.bin");
        part("JSch SFTP upload alone (the library the target uses, 256 KiB buffer)")
                .add(sftpUpload(host, file, remote.toString()));
        part("on the host: `sync` of the uploaded file").add(timedOnHost(host, "sync -- '" + remote + "'"));
        part("on the host: `openssl dgst -sha256` of it")
                .add(timedOnHost(host, "openssl dgst -sha256 -r '" + remote + "' >/dev/null"));
        FileTrees.delete(host.root().resolve("anatomy"));
    }

    /** Nanoseconds {@code command} took on the host, timed there (the login and the shell not counted). */
    private static long timedOnHost(SshServer host, String command) throws IOException, InterruptedException {
        ExecResult result = host.ssh("a=$(date +%s%N); " + command + "; b=$(date +%s%N); echo $((b - a))");
        if (!result.succeeded()) {
            throw new IOException(command + " failed on " + host.name() + ": " + result);
        }
        String[] lines = result.stdout().trim().split("\n");
        return Long.parseLong(lines[lines.length - 1].trim());
    }

    /** Nanoseconds to upload {@code file} over an already open SFTP channel, as the SSH target writes it. */
    private static long sftpUpload(SshServer host, Path file, String remote) throws IOException {
        try {
            JSch jsch = new JSch();
            jsch.addIdentity(host.userKeyFile().toString());
            Session session = jsch.getSession(host.user(), host.host(), host.port());
            // Loopback, to the fixture's own server, whose key the engine's runs check strictly.
            session.setConfig("StrictHostKeyChecking", "no");
            session.connect(10_000);
            try {
                ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
                sftp.connect(10_000);
                long start = System.nanoTime();
                try (OutputStream out = new BufferedOutputStream(sftp.put(remote, ChannelSftp.OVERWRITE), 256 * 1024)) {
                    Files.copy(file, out);
                }
                long nanos = System.nanoTime() - start;
                sftp.disconnect();
                return nanos;
            } finally {
                session.disconnect();
            }
        } catch (JSchException | SftpException e) {
            throw new IOException("The reference SFTP upload to " + host.name() + " failed: " + e.getMessage(), e);
        }
    }
}

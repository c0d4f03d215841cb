package io.jenkins.plugins.deployrollback.engine.testing;

import io.jenkins.plugins.deployrollback.engine.targets.RetryPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.HostKeyVerification;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshCredentials;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshSettings;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One simulated host for SSH target tests: a real OpenSSH server ({@code /usr/sbin/sshd}) on a
 * loopback port, with its own generated ed25519 host key, a generated user key that logs in as the user
 * running the tests, and an empty deploy root. {@link #kill()} makes it vanish the way a crashed host
 * does (the listening sshd, every connection's sshd and every command they run die by SIGKILL, and the
 * port refuses connections); {@link #restart()} brings it back on the same port with the same keys.
 *
 * <p>Its files, in {@code base/<name>/}: {@code host_key}, {@code user_key}, {@code authorized_keys},
 * {@code known_hosts} (for the OpenSSH client), {@code sshd_config}, {@code sshd.pid} and the deploy root
 * {@code root/} and the user's home on the host, {@code home/} (empty).
 */
public final class SshServer implements AutoCloseable {
    /** Timeouts short enough that a test about a dead host fails fast; retries quick enough not to slow it. */
    public static final SshSettings TEST_SETTINGS = new SshSettings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(60),
            Duration.ofSeconds(5),
            new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200)));

    private static final String SSHD = SystemProgram.SSHD.command();
    private static final String SFTP_SERVER = SystemProgram.SFTP_SERVER.command();
    /** Where servers listen unless told otherwise. */
    public static final String LOOPBACK = "127.0.0.1";
    /** In the environment of every process of a server (its value the server's folder), for {@link #kill()}. */
    private static final String MARKER = "DEPLOY_ROLLBACK_TEST_SSHD";

    private static final Duration READY = Duration.ofSeconds(10);
    private static final Duration GONE = Duration.ofSeconds(10);
    private static final Duration COMMAND = Duration.ofSeconds(60);
    private static final int PORT_ATTEMPTS = 5;

    /** Servers not yet stopped, killed when the JVM ends so that a test that forgot one leaves no sshd behind. */
    private static final Set<Sshd> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> RUNNING.forEach(Sshd::destroyNow), "stop test sshd servers"));
    }

    private final String name;
    private final Path dir;
    private final int port;
    private final String hostKey;
    private final String otherHostKey;
    private final String fingerprint;
    private final String userPrivateKey;
    private Sshd sshd;
    private final String host;
    private boolean closed;

    /** A server for the keys already in {@code dir}, configured for {@code port}; not started yet. */
    private SshServer(String name, Path dir, String host, int port) throws IOException, InterruptedException {
        this.name = name;
        this.host = host;
        this.dir = dir;
        this.port = port;
        this.hostKey = publicKey(dir.resolve("host_key.pub"));
        this.otherHostKey = publicKey(dir.resolve("other_host_key.pub"));
        this.fingerprint = fingerprint(dir.resolve("host_key.pub"));
        this.userPrivateKey = Files.readString(dir.resolve("user_key"));
        writeConfig(dir, host, port);
        Files.writeString(knownHostsFile(), knownHostsLine() + "\n");
    }

    /**
     * Creates {@code base/<name>/} with fresh keys, a configuration and an empty deploy root, and starts
     * sshd on a free loopback port; returns once sshd listens.
     */
    public static SshServer start(Path base, String name) throws IOException, InterruptedException {
        return start(base, name, LOOPBACK);
    }

    /**
     * {@link #start(Path, String)} listening on loopback address {@code host} (any of 127.0.0.0/8 on
     * Linux), so that targets differ by host as real ones do.
     */
    public static SshServer start(Path base, String name, String host) throws IOException, InterruptedException {
        requirePrograms();
        Path dir = Files.createDirectory(Files.createDirectories(base).resolve(name))
                .toRealPath();
        Files.createDirectory(dir.resolve("root"));
        Files.createDirectory(dir.resolve("home"));
        generateKey(dir.resolve("host_key"), "host key of " + name);
        generateKey(dir.resolve("user_key"), "user key for " + name);
        generateKey(dir.resolve("other_host_key"), "a host key that is not " + name + "'s");
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        if (isRoot()) {
            // sshd started by root insists on its privilege separation directory; a fresh container lacks it.
            Files.createDirectories(Path.of("/run/sshd"));
        }
        BindException portTaken = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            // Free when asked, but another process may take it before sshd binds it: then try another.
            SshServer server = new SshServer(name, dir, host, FreePorts.on(host));
            try {
                server.sshd = Sshd.launch(name, dir, host, server.port);
                return server;
            } catch (BindException e) {
                portTaken = e;
            }
        }
        throw new IOException("sshd of " + name + " found no free port in " + PORT_ATTEMPTS + " attempts", portTaken);
    }

    /**
     * Skips the calling test (fails it under {@code CI=true}) where OpenSSH's server or client is not
     * installed: a host is sshd with its SFTP server, made with ssh-keygen and checked with ssh and scp.
     */
    public static void requirePrograms() {
        SystemProgram.require(
                SystemProgram.SSHD,
                SystemProgram.SFTP_SERVER,
                SystemProgram.SSH_KEYGEN,
                SystemProgram.SSH,
                SystemProgram.SCP);
    }

    private static void generateKey(Path file, String comment) throws IOException, InterruptedException {
        ExecResult result = ExecResult.run(
                List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file.toString()), COMMAND);
        if (!result.succeeded()) {
            throw new IOException("ssh-keygen could not write " + file + ": " + result);
        }
    }

    /** {@code ssh-ed25519 AAAA…}: a public key file without its comment. */
    private static String publicKey(Path file) throws IOException {
        String[] fields = Files.readString(file).trim().split(" ");
        return fields[0] + " " + fields[1];
    }

    private static String fingerprint(Path publicKey) throws IOException, InterruptedException {
        ExecResult result = ExecResult.run(List.of("ssh-keygen", "-l", "-f", publicKey.toString()), COMMAND);
        if (!result.succeeded()) {
            throw new IOException("ssh-keygen could not read " + publicKey + ": " + result);
        }
        return result.stdout().split(" ")[1]; // "256 SHA256:… comment (ED25519)"
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void writeConfig(Path dir, String host, int port) throws IOException {
        String config = String.join(
                "\n",
                "# A simulated host for Deploy Rollback's SSH tests, written by SshServer.",
                "ListenAddress " + host + ":" + port,
                "HostKey " + quoted(dir.resolve("host_key")),
                "AuthorizedKeysFile " + quoted(dir.resolve("authorized_keys")),
                "PidFile " + quoted(dir.resolve("sshd.pid")),
                "# Not the machine's sshd: no PAM, no checks of the modes of the test's files, keys only.",
                "UsePAM no",
                "StrictModes no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "Subsystem sftp " + SFTP_SERVER,
                "# INFO is the lowest level that prints 'Server listening on', which tells that it is ready.",
                "LogLevel INFO",
                "# Benchmarks open many connections, and many channels on one, at once.",
                "MaxStartups 100:30:200",
                "MaxSessions 50",
                "# Every session's processes carry MARKER, so that kill() finds those that left sshd's process tree.",
                "# HOME is the host's own, empty: the login shell of the user running the tests reads no startup",
                "# files of this machine (a ~/.bashrc that waits on a lock made every login here take 60 s).",
                "SetEnv \"" + MARKER + "=" + dir + "\" \"HOME=" + dir.resolve("home") + "\"",
                "");
        Files.writeString(dir.resolve("sshd_config"), config);
    }

    private static String quoted(Path path) {
        return "\"" + path + "\"";
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    /** The deploy root on this host, an empty folder at first. */
    public Path root() {
        return dir.resolve("root");
    }

    /** The user that logs in: the one running the tests. */
    public String user() {
        return System.getProperty("user.name");
    }

    /** The user's private key (ed25519, no passphrase). */
    public Path userKeyFile() {
        return dir.resolve("user_key");
    }

    public String userPrivateKey() {
        return userPrivateKey;
    }

    /** {@code [127.0.0.1]:PORT ssh-ed25519 AAAA…}: this host's key, as known_hosts lists it. */
    public String knownHostsLine() {
        return "[" + host + "]:" + port + " " + hostKey;
    }

    /** A known_hosts file holding {@link #knownHostsLine()}. */
    public Path knownHostsFile() {
        return dir.resolve("known_hosts");
    }

    /** {@code SHA256:…}, as {@code ssh-keygen -l} prints the host key's fingerprint. */
    public String hostKeyFingerprint() {
        return fingerprint;
    }

    /** A known_hosts line for this host and port with another key: what a client sees when the host key changed. */
    public String otherKnownHostsLine() {
        return "[" + host + "]:" + port + " " + otherHostKey;
    }

    public SshCredentials credentials() {
        try {
            return SshCredentials.ofKeyFile(user(), userKeyFile(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A target for this host: its deploy root, strict host key checking, {@link #TEST_SETTINGS}. */
    public SshTarget target(String targetName) {
        return new SshTarget(
                targetName,
                host,
                port,
                root().toString(),
                credentials(),
                HostKeyVerification.knownHosts(knownHostsLine()),
                TEST_SETTINGS);
    }

    /** Runs {@code command} on this host with the OpenSSH client, checking the host key strictly. */
    public ExecResult ssh(String command) throws IOException, InterruptedException {
        return ExecResult.run(sshCommand(command), COMMAND);
    }

    /** The OpenSSH client's command line that runs {@code command} here, to be run by the caller. */
    public List<String> sshCommand(String command) {
        return sshCommand(knownHostsFile(), command);
    }

    /** As {@link #sshCommand(String)}, trusting only the host keys in {@code knownHosts}. */
    public List<String> sshCommand(Path knownHosts, String command) {
        List<String> argv = new ArrayList<>(List.of("ssh"));
        argv.addAll(clientOptions(knownHosts));
        argv.addAll(List.of("-p", String.valueOf(port), user() + "@" + host, command));
        return List.copyOf(argv);
    }

    /** The command line that copies {@code local} to {@code remotePath} here with scp (over SFTP). */
    public List<String> scpCommand(Path local, String remotePath) {
        List<String> argv = new ArrayList<>(List.of("scp"));
        argv.addAll(clientOptions(knownHostsFile()));
        argv.addAll(List.of("-P", String.valueOf(port), local.toString(), user() + "@" + host + ":" + remotePath));
        return List.copyOf(argv);
    }

    /** Only what is given here counts: no ~/.ssh/config, no agent's keys, no system known_hosts. */
    private List<String> clientOptions(Path knownHosts) {
        return List.of(
                "-F",
                "none",
                "-i",
                userKeyFile().toString(),
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "UserKnownHostsFile=" + quoted(knownHosts),
                "-o",
                "GlobalKnownHostsFile=none",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "ConnectTimeout=5");
    }

    public synchronized boolean isRunning() {
        return sshd != null && sshd.process.isAlive();
    }

    /** The last lines sshd printed (connections, logins, errors), for failure messages. */
    public synchronized String log() {
        return sshd == null ? "(sshd of " + name + " is not running)" : sshd.output();
    }

    /**
     * Kills this host like a crash: SIGKILL to the listening sshd, to every connection's sshd and to every
     * command running over them. Returns once they are gone and the port refuses connections.
     */
    public synchronized void kill() throws IOException, InterruptedException {
        if (sshd != null) {
            sshd.kill(dir);
            sshd = null;
        }
        awaitRefused();
    }

    /** Starts sshd again after {@link #kill()}: same port, same keys, same root. */
    public synchronized void restart() throws IOException, InterruptedException {
        if (closed) {
            throw new IllegalStateException("SSH server " + name + " is closed: start a new one");
        }
        if (isRunning()) {
            throw new IllegalStateException("sshd of " + name + " still runs: kill() it before restarting it");
        }
        try {
            sshd = Sshd.launch(name, dir, host, port);
        } catch (BindException e) {
            throw new IOException(
                    "sshd of " + name + " cannot listen on port " + port + " again: another process took it", e);
        }
    }

    /**
     * Freezes the listening sshd (SIGSTOP), as a host that hangs: its port stays open, the kernel still
     * accepts connections, and nothing answers them until {@link #resume()}.
     */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets a {@link #pause() paused} sshd go on (SIGCONT). */
    public synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (sshd == null) {
            throw new IllegalStateException("sshd of " + name + " is not running");
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(sshd.process.pid()))
                .redirectErrorStream(true)
                .start();
        String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " of the sshd of " + name + " failed: " + output.strip());
        }
    }

    /** Restarts sshd without its SFTP subsystem, as on a host whose administrator turned SFTP off. */
    public synchronized void disableSftp() throws IOException, InterruptedException {
        kill();
        Path config = dir.resolve("sshd_config");
        String withSftp = Files.readString(config);
        String without = withSftp.replace("Subsystem sftp " + SFTP_SERVER + "\n", "");
        if (without.equals(withSftp)) {
            throw new IllegalStateException("no Subsystem sftp line in " + config);
        }
        Files.writeString(config, without);
        restart();
    }

    /** Stops sshd and everything it runs; the files stay. Closing again does nothing. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (!closed) {
            closed = true;
            kill();
        }
    }

    private void awaitRefused() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + GONE.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
            } catch (ConnectException refused) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Port " + port + " of " + name + " still accepts connections " + GONE
                        + " after sshd was killed");
            }
            Thread.sleep(10); // polling: something else answers on the port; see whether it goes
        }
    }

    @Override
    public String toString() {
        return name + " (sshd on " + host + ":" + port + ", root " + root() + ")";
    }

    /** One run of sshd: the process, and the last lines it printed (kept by a thread that reads them all). */
    private static final class Sshd {
        private static final int KEPT_LINES = 60;

        private final String name;
        private final Process process;
        private final Deque<String> lastLines = new ArrayDeque<>();
        /** True once sshd said it listens; false if its output ended first. */
        private final CompletableFuture<Boolean> listening = new CompletableFuture<>();

        private Sshd(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        /** Starts sshd and returns once it listens; a {@link BindException} if the port was taken. */
        static Sshd launch(String name, Path dir, String host, int port) throws IOException, InterruptedException {
            ProcessBuilder builder = new ProcessBuilder(
                            SSHD, "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put(MARKER, dir.toString());
            Sshd sshd = new Sshd(name, builder.start());
            RUNNING.add(sshd);
            sshd.process.getOutputStream().close();
            sshd.readOutput("Server listening on " + host + " port " + port + ".");
            sshd.awaitListening(dir, host, port);
            return sshd;
        }

        /**
         * Reads sshd's log (it logs to stderr with -e) until it ends, on a daemon thread: sshd must never
         * block on a full pipe, and a failure message wants the last lines.
         */
        private void readOutput(String ready) {
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader lines = new BufferedReader(
                                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                                remember(line);
                                if (line.equals(ready)) {
                                    listening.complete(true);
                                }
                            }
                        } catch (IOException e) {
                            remember("(reading sshd's output failed: " + e + ")");
                        }
                        listening.complete(false);
                    },
                    "sshd " + name + " output");
            reader.setDaemon(true);
            reader.start();
        }

        private synchronized void remember(String line) {
            lastLines.addLast(line);
            if (lastLines.size() > KEPT_LINES) {
                lastLines.removeFirst();
            }
        }

        synchronized String output() {
            return String.join("\n", lastLines);
        }

        private void awaitListening(Path dir, String host, int port) throws IOException, InterruptedException {
            boolean listens;
            try {
                listens = listening.get(READY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                kill(dir);
                throw new IOException("sshd of " + name + " did not say it listens on " + host + ":" + port + " within "
                        + READY + ". It printed:\n" + output());
            } catch (ExecutionException e) {
                throw new IllegalStateException(e); // never completed exceptionally
            }
            if (!listens) {
                // Its output ended: it exits, or has.
                process.waitFor(GONE.toMillis(), TimeUnit.MILLISECONDS);
                String exit = process.isAlive() ? "closed its output" : "exited with status " + process.exitValue();
                kill(dir);
                String message = "sshd of " + name + " " + exit + " before listening on " + host + ":" + port
                        + ". It printed:\n" + output();
                if (output().contains("Address already in use")) {
                    throw new BindException(message);
                }
                throw new IOException(message);
            }
        }

        /** SIGKILL to sshd and everything it started; returns once none of them runs. */
        void kill(Path dir) throws IOException, InterruptedException {
            // Listed before the listener dies: after that its children are init's, no longer its descendants.
            List<ProcessHandle> killed = new ArrayList<>(process.descendants().toList());
            killed.add(process.toHandle());
            killed.forEach(ProcessHandle::destroyForcibly);
            long deadline = System.nanoTime() + GONE.toNanos();
            while (true) {
                // A connection accepted, or a command started, between listing and killing is not in the
                // list; it carries the marker.
                List<ProcessHandle> strays = LinuxProcesses.withEnvironment(MARKER, dir.toString());
                strays.forEach(ProcessHandle::destroyForcibly);
                killed.addAll(strays);
                List<ProcessHandle> running =
                        killed.stream().filter(LinuxProcesses::running).toList();
                if (strays.isEmpty() && running.isEmpty()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("sshd of " + name + " still runs " + GONE + " after SIGKILL: processes "
                            + Stream.concat(strays.stream(), running.stream())
                                    .map(p -> String.valueOf(p.pid()))
                                    .distinct()
                                    .collect(Collectors.joining(", ")));
                }
                Thread.sleep(5); // polling: SIGKILLed processes take a moment to exit
            }
            process.waitFor(); // reaped here, as it is this JVM's child
            RUNNING.remove(this);
        }

        /** For the JVM's last moments: SIGKILL to all, no waiting. */
        void destroyNow() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}

package io.jenkins.plugins.deployrollback.cli;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import picocli.CommandLine;

/**
 * The work a command does, done to a folder in a temporary directory removed afterwards: a small
 * release deployed twice, rolled back and rolled forward, with the status and the history (the code of
 * the engine, the configuration and the output), and the SSH client's key, key exchange, signature,
 * cipher and MAC code without connecting anywhere. Needs no network and no other program; its output
 * is dropped unless it fails. The build runs it once to record the classes it loads ({@link
 * CdsTrainingCommand}); the helper runs it for a moment before it listens ({@link #warmUp}), so that
 * its first command runs compiled code, as later ones do.
 */
final class Training {
    private static final String ENVIRONMENT = "training";

    /** The algorithm lists of the SSH client whose classes a connection loads. */
    private static final List<String> SSH_ALGORITHMS = List.of("kex", "server_host_key", "cipher.c2s", "mac.c2s");

    /** The SSH client's helpers those algorithms name by configuration key. */
    private static final List<String> SSH_HELPERS = List.of(
            "random",
            "sha-256",
            "sha-384",
            "sha-512",
            "xdh",
            "keypairgen.xdh",
            "ecdh-sha2-nistp",
            "keypairgen.ecdsa",
            "signature.ecdsa",
            "keypairgen.eddsa",
            "signature.ed25519",
            "signature.rsa",
            "keypairgen.rsa",
            "userauth.publickey",
            "userauth.none");

    /** Rounds of the helper's warm-up at most: past them, the code a command runs is compiled. */
    private static final int WARM_UP_ROUNDS = 40;

    /** How the folders of the warm-up's rounds are named, in the temporary directory. */
    static final String WARM_UP_PREFIX = "deploy-rollback-warm-up-";

    private Training() {}

    /** All of it once, loading every class a command loads. */
    static void once() throws Exception {
        Path dir = Files.createTempDirectory("deploy-rollback-training-");
        try {
            commands(dir);
            loadSshClient(dir);
        } finally {
            FileTrees.delete(dir);
        }
    }

    /**
     * The commands and the SSH client's cryptography again and again, for at most {@code budget} (and
     * at most {@value #WARM_UP_ROUNDS} rounds, at least one), so that the JIT compiles what a command runs.
     *
     * @return the rounds done
     */
    static int warmUp(Duration budget) throws Exception {
        long deadline = System.nanoTime() + budget.toNanos();
        int rounds = 0;
        do {
            Path dir = Files.createTempDirectory(WARM_UP_PREFIX);
            try {
                commands(dir);
                cryptography();
            } finally {
                FileTrees.delete(dir);
            }
            rounds++;
        } while (rounds < WARM_UP_ROUNDS && System.nanoTime() < deadline);
        return rounds;
    }

    private static void commands(Path dir) throws Exception {
        Path config = dir.resolve("deploy-rollback.yaml");
        Files.writeString(config, """
                state: state
                environments:
                  %s:
                    targets:
                      - name: local
                        path: target
                """.formatted(ENVIRONMENT));
        StringWriter output = new StringWriter();
        for (String release : List.of("r1", "r2")) {
            Path folder = Files.createDirectories(dir.resolve("artifacts").resolve(release));
            Files.writeString(folder.resolve("index.html"), "release " + release + "\n");
            run(output, config, "deploy", ENVIRONMENT, "--release", release, "--artifact", folder.toString());
        }
        run(output, config, "rollback", ENVIRONMENT);
        run(output, config, "roll-forward", ENVIRONMENT);
        run(output, config, "status", ENVIRONMENT);
        run(output, config, "history", ENVIRONMENT);
    }

    private static void run(StringWriter output, Path config, String... args) {
        int status = execute(output, config, args);
        if (status != ExitCode.OK) {
            throw new IllegalStateException(
                    "Training step " + String.join(" ", args) + " ended with exit status " + status + ":\n" + output);
        }
    }

    private static int execute(StringWriter output, Path config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--by", "cds-training"));
        CommandLine command = Main.commandLine(Invocation.thisProcess(), all.toArray(String[]::new));
        PrintWriter writer = new PrintWriter(output);
        command.setOut(writer);
        command.setErr(writer);
        return command.execute(all.toArray(String[]::new));
    }

    /**
     * The classes of an SSH environment up to its first connection: its configuration read, a key
     * read, a connection tried to a loopback port nothing listens on (refused at once, not retried),
     * and the algorithms a connection would negotiate.
     */
    private static void loadSshClient(Path dir) throws Exception {
        StringWriter output = new StringWriter();
        JSch jsch = new JSch();
        // JSch writes no Ed25519 key; an ECDSA one goes through the same reading code.
        KeyPair pair = KeyPair.genKeyPair(jsch, KeyPair.ECDSA, 256);
        ByteArrayOutputStream privateKey = new ByteArrayOutputStream();
        pair.writePrivateKey(privateKey);
        Path key = dir.resolve("training_key");
        Files.write(key, privateKey.toByteArray());
        Files.writeString(dir.resolve("known_hosts"), "");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path config = dir.resolve("ssh.yaml");
        Files.writeString(config, """
                state: state
                environments:
                  %s:
                    ssh:
                      user: training
                      identityFile: %s
                      knownHosts: known_hosts
                      hostKeyPolicy: strict
                      connectTimeout: 1s
                      retries: {attempts: 1}
                    targets:
                      - host: 127.0.0.1
                        port: %d
                        name: nowhere
                        path: /srv/training
                """.formatted(ENVIRONMENT, key, closed));
        // Both end "unreachable": what counts is the code they go through.
        execute(output, config, "status", ENVIRONMENT);
        execute(output, config, "rollback", ENVIRONMENT);

        cryptography();
        List<String> names = new ArrayList<>(SSH_HELPERS);
        for (String list : SSH_ALGORITHMS) {
            names.addAll(List.of(JSch.getConfig(list).split(",")));
        }
        for (String name : names) {
            String type = JSch.getConfig(name);
            if (type != null && type.startsWith("com.jcraft.jsch.")) {
                try {
                    Class.forName(type, true, CdsTrainingCommand.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    // An algorithm this JSch names but does not ship: nothing to record.
                }
            }
        }
    }

    /**
     * What logging in and talking to a host compute, done by the JDK as the SSH client has it done: a
     * Curve25519 key exchange, the host's and the user's Ed25519 signatures, and AES-GCM packets.
     */
    private static void cryptography() throws Exception {
        KeyPairGenerator exchange = KeyPairGenerator.getInstance("X25519");
        java.security.KeyPair ours = exchange.generateKeyPair();
        java.security.KeyPair theirs = exchange.generateKeyPair();
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(ours.getPrivate());
        agreement.doPhase(theirs.getPublic(), true);
        byte[] secret = agreement.generateSecret();

        java.security.KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(ed25519.getPrivate());
        signature.update(secret);
        byte[] signed = signature.sign();
        signature.initVerify(ed25519.getPublic());
        signature.update(secret);
        if (!signature.verify(signed)) {
            throw new IllegalStateException("An Ed25519 signature did not verify");
        }

        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
                Cipher.ENCRYPT_MODE, new SecretKeySpec(secret, 0, 16, "AES"), new GCMParameterSpec(128, signed, 0, 12));
        cipher.doFinal(new byte[32 * 1024]);
    }
}

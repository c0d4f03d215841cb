package io.jenkins.plugins.deployrollback.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.testing.SystemProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real private keys made with {@code ssh-keygen}, for configurations that name them. */
final class TestKeys {
    private TestKeys() {}

    /** Makes an Ed25519 key pair at {@code file} and {@code file.pub}; {@code passphrase} "" for none. */
    static Path generate(Path file, String passphrase) throws IOException, InterruptedException {
        SystemProgram.require(SystemProgram.SSH_KEYGEN);
        Files.createDirectories(file.getParent());
        Process keygen = new ProcessBuilder(
                        "ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "test", "-f", file.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(keygen.waitFor(60, TimeUnit.SECONDS))
                .as("ssh-keygen finished")
                .isTrue();
        String output = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keygen.exitValue()).as("ssh-keygen: " + output).isZero();
        return file;
    }

    /** The lines of a key's body: any of them in a message would leak the key. */
    static List<String> bodyLines(String key) {
        return key.lines().filter(l -> !l.isBlank() && !l.startsWith("-----")).toList();
    }
}

package io.jenkins.plugins.deployrollback.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code deploy-rollback.jar} run as a separate process, so that tests can kill it. */
final class CliProcess {
    private final Process process;
    private final Path output;

    private CliProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("deployrollback.jar", "target/deploy-rollback.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'mvn package'");
        }
        return jar;
    }

    /** Starts {@code java [jvmArgs] -jar deploy-rollback.jar args}; output goes to a file in {@code logs}. */
    static CliProcess start(Path logs, List<String> jvmArgs, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        Files.createDirectories(logs);
        Path output = Files.createTempFile(logs, "cli-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new CliProcess(process, output);
    }

    /** Waits for the process to end (failing the test after {@code limit}) and returns its status. */
    int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("deploy-rollback did not finish within " + limit + ":\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL, like {@code kill -9}. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    long pid() {
        return process.pid();
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}

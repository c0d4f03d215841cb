package io.jenkins.plugins.deployrollback.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real {@code deploy-rollback.jar} run as a separate process, so that tests can kill it. */
final class CliProcess {
    private final Process process;
    private final Path output;
    /** Standard error, when it is kept apart from standard output; null when both go to {@link #output}. */
    private final Path errors;

    private CliProcess(Process process, Path output, Path errors) {
        this.process = process;
        this.output = output;
        this.errors = errors;
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
        Files.createDirectories(logs);
        Path output = Files.createTempFile(logs, "cli-", ".log");
        Process process = new ProcessBuilder(command(jvmArgs, args))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new CliProcess(process, output, null);
    }

    /**
     * Starts {@code java -jar deploy-rollback.jar args} with {@code environment} added to this process's
     * environment variables (secrets a configuration names); standard output and standard error go to
     * separate files in {@code logs}, so that {@code --json} output stays parseable.
     */
    static CliProcess start(Path logs, Map<String, String> environment, List<String> args) throws IOException {
        Files.createDirectories(logs);
        Path output = Files.createTempFile(logs, "cli-", ".out");
        Path errors = Files.createTempFile(logs, "cli-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command(List.of(), args))
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile());
        builder.environment().putAll(environment);
        return new CliProcess(builder.start(), output, errors);
    }

    /**
     * Starts {@code java -jar deploy-rollback.jar args} as {@code wrap} changes the command line (run
     * under another program); standard output and standard error go to separate files in {@code logs}.
     */
    static CliProcess startWrapped(Path logs, java.util.function.UnaryOperator<List<String>> wrap, List<String> args)
            throws IOException {
        Files.createDirectories(logs);
        Path output = Files.createTempFile(logs, "cli-", ".out");
        Path errors = Files.createTempFile(logs, "cli-", ".err");
        Process process = new ProcessBuilder(wrap.apply(command(List.of(), args)))
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile())
                .start();
        return new CliProcess(process, output, errors);
    }

    private static List<String> command(List<String> jvmArgs, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        return command;
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

    /** Everything it printed: standard output, then standard error when they are kept apart. */
    String output() {
        return errors == null ? read(output) : read(output) + read(errors);
    }

    /** Standard output; everything it printed when standard error is not kept apart. */
    String stdout() {
        return read(output);
    }

    /** Standard error; empty when it is not kept apart from standard output. */
    String stderr() {
        return errors == null ? "" : read(errors);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}

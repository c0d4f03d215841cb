package io.jenkins.plugins.deployrollback.engine.bench;

import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The floor: plain OpenSSH clients doing the same work as the engine, one process per host, all started
 * at once. What they take is what any tool built on SSH has to pay on this machine. The command
 * line's benchmark ({@code cli} module) measures against it too.
 */
public final class OpenSsh {
    private static final long LIMIT_SECONDS = 600;

    private final Path logs;
    private int runs;

    public OpenSsh(Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
    }

    /**
     * The switch a rollback does, as one shell line: a new link under a temporary name, renamed over
     * {@code current}.
     */
    public static List<String> switchCommand(SshServer host, String root, String release) {
        return host.sshCommand(
                "cd '" + root + "' && ln -s releases/" + release + " .current-tmp && mv -T .current-tmp" + " current");
    }

    /** Runs {@code commands} all at once and returns the nanoseconds from starting the first to the last one's end. */
    public long runAll(List<List<String>> commands) throws IOException, InterruptedException {
        List<Process> processes = new ArrayList<>();
        List<Path> errors = new ArrayList<>();
        long start = System.nanoTime();
        for (List<String> command : commands) {
            Path error = logs.resolve("run-" + (++runs) + ".err");
            errors.add(error);
            processes.add(new ProcessBuilder(command)
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(error.toFile())
                    .start());
        }
        for (Process process : processes) {
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                processes.forEach(Process::destroyForcibly);
                throw new IOException("An OpenSSH client did not finish within " + LIMIT_SECONDS + " s");
            }
        }
        long elapsed = System.nanoTime() - start;
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).exitValue() != 0) {
                throw new IOException(String.join(" ", commands.get(i)) + " failed (exit "
                        + processes.get(i).exitValue() + "): " + Files.readString(errors.get(i)));
            }
            Files.delete(errors.get(i));
        }
        return elapsed;
    }
}

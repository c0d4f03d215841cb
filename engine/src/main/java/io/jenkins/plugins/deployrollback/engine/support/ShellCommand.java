package io.jenkins.plugins.deployrollback.engine.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a shell command on this machine with a timeout that really stops it: on timeout the command
 * and every process it started are killed. Output (stdout and stderr together) goes line by line to a
 * consumer; the last lines are kept for error messages. The command never sees the variables
 * {@link Secrets} withholds, and every line of its output has the secret values masked before anyone
 * reads it.
 */
public final class ShellCommand {
    private static final int TAIL_LINES = 20;
    /** How long to wait for the output to close after the command exited (a background child may hold it). */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    /** How the command ended; {@code abandoned}: stopped because the caller gave it up (its lock was taken over). */
    public record Result(
            int exitStatus, boolean timedOut, boolean abandoned, Duration duration, List<String> lastOutput) {}

    private ShellCommand() {}

    /** The process running the command, as soon as it has started. */
    public record Started(long pid, java.time.Instant processStart) {}

    /** Told when the command has started (with its process) and may throw to stop it at once. */
    @FunctionalInterface
    public interface StartListener {
        void started(Started started) throws IOException;
    }

    public static Result run(
            String command,
            File directory,
            Map<String, String> variables,
            Secrets secrets,
            Duration timeout,
            Consumer<String> output,
            StartListener startListener,
            java.util.function.BooleanSupplier abandon)
            throws IOException {
        // The shell waits for one line on its input before it runs the command, and gets it only once
        // the start listener has recorded the process (in the target's lock). If this process dies in
        // between, the shell reads end-of-input and exits without running anything.
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "IFS= read -r go || exit 125\n" + command)
                .directory(directory)
                .redirectErrorStream(true);
        secrets.prepare(builder.environment());
        builder.environment().putAll(variables);
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            startListener.started(new Started(
                    process.pid(), process.toHandle().info().startInstant().orElse(null)));
            process.getOutputStream().write('\n');
        } catch (IOException | RuntimeException e) {
            killTree(process);
            throw e;
        } finally {
            process.getOutputStream().close();
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            line = secrets.mask(line);
                            synchronized (tail) {
                                tail.addLast(line);
                                if (tail.size() > TAIL_LINES) {
                                    tail.removeFirst();
                                }
                            }
                            output.accept(line);
                        }
                    } catch (IOException e) {
                        // the stream closes when the command is killed; what was read is kept
                    }
                },
                "hook-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished = false;
        boolean abandoned = false;
        long deadline = start + timeout.toNanos();
        try {
            // Waits in short slices, so that a command given up (its lock lost) is stopped promptly.
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                if (process.waitFor(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS)) {
                    finished = true;
                    break;
                }
                if (abandon.getAsBoolean()) {
                    abandoned = true;
                    break;
                }
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running: " + command, e);
        }
        if (!finished) {
            killTree(process);
        }
        try {
            reader.join(OUTPUT_DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> last;
        synchronized (tail) {
            last = new ArrayList<>(tail);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Result(finished ? process.exitValue() : -1, !finished && !abandoned, abandoned, took, last);
    }

    /**
     * Kills the command and everything it started. The descendants are listed before the shell dies
     * (afterwards they are re-parented and no longer found), the shell is killed first so it starts
     * nothing new, then each descendant.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a finished command ended and what it printed.
 *
 * @param status its exit status (255 when the OpenSSH client itself failed: refused, host key, login)
 */
public record ExecResult(int status, String stdout, String stderr) {

    /**
     * Runs {@code command} with no input and waits for it, at most {@code limit} (then it is killed and
     * this fails, with what it printed so far).
     */
    public static ExecResult run(List<String> command, Duration limit) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // Both streams are read at once, each on its own thread: a command that fills one pipe while
        // nobody reads it would block forever.
        CompletableFuture<String> stdout = readAll(process.getInputStream(), command.get(0) + " stdout");
        CompletableFuture<String> stderr = readAll(process.getErrorStream(), command.get(0) + " stderr");
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
            throw new IOException(String.join(" ", command) + " did not finish within " + limit + "; it printed:\n"
                    + stdout.getNow("") + stderr.getNow(""));
        }
        return new ExecResult(process.exitValue(), output(stdout), output(stderr));
    }

    private static CompletableFuture<String> readAll(InputStream in, String name) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (in) {
                        in.transferTo(bytes);
                        text.complete(bytes.toString(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        text.completeExceptionally(e);
                    }
                },
                name);
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    private static String output(CompletableFuture<String> text) throws IOException, InterruptedException {
        try {
            // The command has ended; its output ends with it unless a child it left behind still holds the pipe.
            return text.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("Reading a command's output failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("A command ended but something it started still holds its output open");
        }
    }

    public boolean succeeded() {
        return status == 0;
    }

    @Override
    public String toString() {
        return "exit status " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A hook a test can hold: the hook announces itself with a file, then waits (at most a minute) until
 * the test lets it go. The test waits for conditions with a deadline, never for a fixed time.
 */
public final class Gate {
    private final Path folder;

    public Gate(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
    }

    /** The shell command of a hook that stops at this gate, when {@code condition} (a shell test) holds. */
    public String hold(String name, String condition) {
        return "if " + condition + "; then touch '" + folder.resolve("in-" + name) + "'; i=0; while [ ! -f '"
                + folder.resolve("go") + "' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; fi";
    }

    public void awaitArrival(String name) throws InterruptedException {
        await("hook " + name + " to reach the gate", () -> Files.exists(folder.resolve("in-" + name)));
    }

    public void open() throws IOException {
        Files.writeString(folder.resolve("go"), "");
    }

    /** Waits until {@code condition} holds, up to a minute. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}

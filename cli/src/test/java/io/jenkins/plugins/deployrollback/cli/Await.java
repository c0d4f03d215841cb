package io.jenkins.plugins.deployrollback.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition another process brings about, up to a deadline. Not a sleep: it returns as soon as the condition holds. */
final class Await {
    private Await() {}

    static void until(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.sleep(10);
        }
    }
}

package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.EOFException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines typed at a terminal, as its reader delivers them, for a question that waits a while for
 * its answer; the end of the terminal's input is kept, so that every later read sees it too.
 */
public final class TypedLines {
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

    /** One line typed. */
    public void typed(String line) {
        lines.add(Optional.of(line));
    }

    /** The terminal's input ended (or could not be read). */
    public void closed() {
        lines.add(Optional.empty());
    }

    /** Forgets the lines typed so far. */
    public void discardTypeAhead() {
        Optional<String> head;
        while ((head = lines.peek()) != null && head.isPresent()) {
            lines.poll();
        }
    }

    /**
     * The next line typed within {@code timeout}, or null when none came in time.
     *
     * @throws EOFException when the terminal's input ended
     */
    public String readLine(Duration timeout) throws EOFException, InterruptedException {
        Optional<String> line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            return null;
        }
        if (line.isEmpty()) {
            lines.add(line);
            throw new EOFException("the terminal was closed");
        }
        return line.get();
    }
}

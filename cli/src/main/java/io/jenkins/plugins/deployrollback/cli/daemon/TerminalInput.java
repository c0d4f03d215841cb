package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * The lines typed at a client's terminal, for a command the helper runs. The client starts sending
 * them when {@link #open()} asks, which is when the command would have started reading its own
 * terminal; a line typed before a question is asked is dropped by {@link #discardTypeAhead()}.
 */
public final class TerminalInput {
    private final DataOutputStream out;
    private final TypedLines lines = new TypedLines();
    private boolean open;

    TerminalInput(DataOutputStream out) {
        this.out = out;
    }

    /** Asks the client to send what is typed from now on. */
    public synchronized void open() throws IOException {
        if (!open) {
            open = true;
            synchronized (out) {
                Frames.write(out, Frames.WANT_INPUT, new byte[0]);
            }
        }
    }

    void typed(String line) {
        lines.typed(line);
    }

    void closed() {
        lines.closed();
    }

    /** Forgets the lines typed so far. */
    public void discardTypeAhead() {
        lines.discardTypeAhead();
    }

    /**
     * The next line typed within {@code timeout}, or null when none came in time.
     *
     * @throws EOFException when the client's terminal was closed, or the client went away
     */
    public String readLine(Duration timeout) throws EOFException, InterruptedException {
        return lines.readLine(timeout);
    }
}

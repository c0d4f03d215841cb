package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import com.jcraft.jsch.ChannelExec;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * One {@code /bin/sh} on the target that runs the engine's short scripts one after another, so that
 * each costs a round trip instead of a new channel and a login shell. Each script runs in a child
 * shell with its arguments quoted; its output ends at a marker line only this shell knows. A script
 * that outlives the command timeout is killed with the whole shell, which is started again for the
 * next script.
 */
final class ControlShell {
    /** How a script ended: its exit status and what it printed. */
    record Result(int status, String out, String err) {
        boolean ok() {
            return status == 0;
        }
    }

    private final SshConnection connection;
    private final ChannelExec channel;
    private final OutputStream input;
    private final ChannelOutput out;
    private final ChannelOutput err;
    private final long pid;
    private final String nonce =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private int sequence;
    private boolean dead;

    private ControlShell(
            SshConnection connection,
            ChannelExec channel,
            OutputStream input,
            ChannelOutput out,
            ChannelOutput err,
            long pid) {
        this.connection = connection;
        this.channel = channel;
        this.input = input;
        this.out = out;
        this.err = err;
        this.pid = pid;
    }

    static ControlShell start(SshConnection connection) throws IOException {
        ChannelExec channel = connection.exec(
                ShellQuote.script("echo \"$$\"; exec /bin/sh -s", "deploy-rollback-control", List.of()));
        ChannelOutput out = new ChannelOutput();
        ChannelOutput err = new ChannelOutput();
        channel.setOutputStream(out);
        channel.setErrStream(err);
        OutputStream input;
        try {
            input = channel.getOutputStream();
        } catch (IOException e) {
            throw connection.lost("starting the control shell", e);
        }
        connection.connect(channel);
        long deadline = System.nanoTime()
                + connection.target().settings().connectTimeout().toNanos();
        try {
            byte[][] first = out.takeThrough(new byte[0], deadline);
            if (first == null) {
                throw connection.lost(
                        "starting the control shell",
                        new EOFException(new String(err.snapshot(), StandardCharsets.UTF_8).trim()));
            }
            return new ControlShell(
                    connection,
                    channel,
                    input,
                    out,
                    err,
                    Long.parseLong(new String(first[1], StandardCharsets.US_ASCII).trim()));
        } catch (TimeoutException e) {
            channel.disconnect();
            throw new SshFailure(
                    "The shell on " + connection.target().name() + " did not start within "
                            + connection.target().settings().connectTimeout().toMillis() + " ms.",
                    true,
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.disconnect();
            throw new InterruptedIOException("interrupted while starting the control shell");
        } catch (NumberFormatException e) {
            channel.disconnect();
            throw new SshFailure(
                    "The login shell on " + connection.target().name()
                            + " printed something before the command ran: make sure it prints nothing for"
                            + " non-interactive logins (e.g. no echo in ~/.bashrc).",
                    false,
                    null);
        }
    }

    ChannelExec channel() {
        return channel;
    }

    synchronized boolean alive() {
        return !dead && !channel.isClosed() && connection.isConnected();
    }

    /** Runs {@code script} as {@code /bin/sh -c script name args…} and waits for it, at most {@code timeout}. */
    synchronized Result run(String script, String name, List<String> args, Duration timeout) throws IOException {
        String marker = "@@deploy-rollback-" + nonce + "-" + (++sequence);
        StringBuilder line = new StringBuilder("/bin/sh -c ")
                .append(ShellQuote.quote(script))
                .append(' ')
                .append(ShellQuote.quote(name));
        for (String arg : args) {
            line.append(' ').append(ShellQuote.quote(arg));
        }
        line.append(" </dev/null; printf '\\n%s %d\\n' '")
                .append(marker)
                .append("' \"$?\"; printf '\\n%s \\n' '")
                .append(marker)
                .append("' >&2\n");
        String doing = "running " + name;
        try {
            input.write(line.toString().getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException e) {
            dead = true;
            throw connection.lost(doing, e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] markerLine = ("\n" + marker + " ").getBytes(StandardCharsets.US_ASCII);
        try {
            byte[][] stdout = out.takeThrough(markerLine, deadline);
            byte[][] stderr = stdout == null ? null : err.takeThrough(markerLine, deadline);
            if (stdout == null || stderr == null) {
                dead = true;
                throw connection.lost(doing, new EOFException("the control shell ended"));
            }
            return new Result(
                    Integer.parseInt(new String(stdout[1], StandardCharsets.US_ASCII).trim()),
                    connection.mask().mask(new String(stdout[0], StandardCharsets.UTF_8)),
                    connection.mask().mask(new String(stderr[0], StandardCharsets.UTF_8)));
        } catch (TimeoutException e) {
            dead = true;
            connection.kill(pid);
            channel.disconnect();
            throw new SshFailure(
                    name + " on " + connection.target().name() + " did not finish within " + timeout.toMillis()
                            + " ms and was killed (with everything it started).",
                    false,
                    null);
        } catch (InterruptedException e) {
            dead = true;
            connection.kill(pid);
            channel.disconnect();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(
                    "interrupted while " + doing + " on " + connection.target().name());
        }
    }

    synchronized void close() {
        dead = true;
        try {
            input.close();
        } catch (IOException e) {
            // closing the shell's input ends it; if the connection is gone, so is the shell
        }
        channel.disconnect();
    }
}

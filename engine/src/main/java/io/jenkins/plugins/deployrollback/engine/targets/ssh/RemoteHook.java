package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import com.jcraft.jsch.ChannelExec;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one hook on an SSH target, in a channel of its own. The remote shell reports its process id
 * and waits until the lock names it before running the command; a timeout or a lost lock kills the
 * command's whole process group on the host. Output and errors arrive as one stream of lines, with the
 * credentials' secrets masked. A hook is never retried: one that may have run must not run twice.
 */
final class RemoteHook {
    private static final int TAIL_LINES = 20;
    private static final long SLICE_NANOS = 200_000_000L;

    /** Told the remote process id once the hook's shell runs, before the command starts. */
    @FunctionalInterface
    interface Started {
        void started(long pid) throws IOException;
    }

    @FunctionalInterface
    interface Finished {
        void finished() throws IOException;
    }

    private final SshConnection connection;
    private final Hook hook;
    private final HookMode mode;
    private final Map<String, String> environment;

    RemoteHook(SshConnection connection, Hook hook, HookMode mode, Map<String, String> environment) {
        this.connection = connection;
        this.hook = hook;
        this.mode = mode;
        this.environment = new TreeMap<>(environment);
    }

    HookRun run(String folder, Consumer<String> output, Started started, BooleanSupplier abandon, Finished finished)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(folder, hook.command()));
        environment.forEach((name, value) -> args.add(name + "=" + value));
        ChannelExec channel = connection.exec(ShellQuote.script(Scripts.HOOK, "deploy-rollback-hook", args));
        Lines lines = new Lines(output, connection.mask());
        channel.setOutputStream(lines);
        channel.setErrStream(lines, true);
        OutputStream input;
        try {
            input = channel.getOutputStream();
        } catch (IOException e) {
            throw connection.lost("starting hook " + hook.name(), e);
        }
        long start = System.nanoTime();
        connection.connect(channel);
        String target = connection.target().name();
        try {
            long pid = lines.awaitPid(
                    start + connection.target().settings().connectTimeout().toNanos());
            if (pid < 0) {
                throw connection.lost("starting hook " + hook.name(), new IOException("its shell did not start"));
            }
            try {
                started.started(pid);
                input.write('\n');
                input.flush();
                input.close();
            } catch (IOException | RuntimeException e) {
                connection.kill(pid);
                throw e;
            }
            boolean ended = false;
            boolean abandoned = false;
            long deadline = start + hook.timeout().toNanos();
            while (!ended) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                ended = lines.awaitClosed(Math.min(deadline, now + SLICE_NANOS));
                if (!ended && abandon.getAsBoolean()) {
                    abandoned = true;
                    break;
                }
            }
            if (!ended) {
                connection.kill(pid);
                lines.awaitClosed(System.nanoTime() + SLICE_NANOS * 10);
            }
            if (abandoned) {
                throw new LockLostException("The lock of " + target + " was taken over while hook " + hook.name()
                        + " ran; the hook and everything it started were stopped.");
            }
            int status = ended ? exitStatus(channel) : -1;
            if (ended && status < 0) {
                throw new SshFailure(
                        "The connection to " + target + " was lost while hook " + hook.name()
                                + " ran, so whether it finished is unknown. It was not run again: check the host, then"
                                + " run the operation again.",
                        false,
                        null);
            }
            return new HookRun(
                    hook.name(),
                    target,
                    hook.phase(),
                    mode,
                    status,
                    !ended,
                    Duration.ofNanos(System.nanoTime() - start),
                    lines.tail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hook " + hook.name() + " ran on " + target);
        } finally {
            channel.disconnect();
            finished.finished();
        }
    }

    /** The exit status, which arrives just before the channel closes; -1 if the channel closed without one. */
    private static int exitStatus(ChannelExec channel) throws InterruptedException {
        long limit = System.nanoTime() + 2_000_000_000L;
        while (!channel.isClosed() && System.nanoTime() < limit) {
            Thread.sleep(1);
        }
        return channel.getExitStatus();
    }

    /** The hook's output, split in lines as JSch delivers it: the first line is the process id. */
    private static final class Lines extends OutputStream {
        private final Consumer<String> output;
        private final SecretMask mask;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final Deque<String> tail = new ArrayDeque<>();
        private long pid = 0;
        private boolean closed;
        private int openStreams = 1;

        Lines(Consumer<String> output, SecretMask mask) {
            this.output = output;
            this.mask = mask;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    emit();
                } else {
                    line.write(b[i]);
                }
            }
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (pid == 0) {
                try {
                    pid = Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    pid = -1;
                }
                notifyAll();
                return;
            }
            String masked = mask.mask(text);
            tail.addLast(masked);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
            output.accept(masked);
        }

        /** The end of the output stream (errors come on it too; JSch leaves the error stream open). */
        @Override
        public synchronized void close() {
            if (--openStreams > 0) {
                return;
            }
            if (line.size() > 0) {
                emit();
            }
            closed = true;
            notifyAll();
        }

        synchronized long awaitPid(long deadline) throws InterruptedException {
            while (pid == 0 && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -1;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return pid == 0 ? -1 : pid;
        }

        synchronized boolean awaitClosed(long deadline) throws InterruptedException {
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }

        synchronized List<String> tail() {
            return new ArrayList<>(tail);
        }
    }
}

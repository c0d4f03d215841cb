package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The helper's side of a connection: what the command prints reaches the socket from a thread of
 * this stream's own, never from the command's. A thread that is interrupted while it writes to a
 * {@link java.nio.channels.SocketChannel} closes the channel, and a command being stopped is
 * interrupted just when it prints why it stopped; written from its own thread, the connection would
 * close before the client heard that, or the exit status. A flush returns once everything written
 * before it is on the socket, so frames keep their order and a client that reads slowly slows the
 * command down, as a full pipe would.
 */
final class Outbox extends OutputStream {
    private final OutputStream socket;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;
    private IOException failure;

    Outbox(OutputStream socket, String name) {
        this.socket = socket;
        Thread writer = new Thread(this::deliver, name);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        check();
        if (length > 0) {
            chunks.add(Arrays.copyOfRange(bytes, offset, offset + length));
            notifyAll();
        }
    }

    /** Waits, even when interrupted, until all written so far is on the socket. */
    @Override
    public synchronized void flush() throws IOException {
        boolean interrupted = false;
        try {
            while ((writing || !chunks.isEmpty()) && failure == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        check();
    }

    /** Delivers what was written, then lets the writer thread end; the socket stays open. */
    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
        }
    }

    private void check() throws IOException {
        if (failure != null) {
            throw new IOException("the client went away: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IOException("the connection to the client was closed");
        }
    }

    private void deliver() {
        while (true) {
            byte[] chunk;
            synchronized (this) {
                while (chunks.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // Nobody interrupts this thread; should someone, it carries on.
                    }
                }
                if (chunks.isEmpty()) {
                    return;
                }
                chunk = chunks.poll();
                writing = true;
            }
            IOException failed = null;
            try {
                socket.write(chunk);
                socket.flush();
            } catch (IOException e) {
                failed = e;
            }
            synchronized (this) {
                writing = false;
                if (failed != null) {
                    failure = failed;
                    chunks.clear();
                }
                notifyAll();
                if (failed != null) {
                    return;
                }
            }
        }
    }
}

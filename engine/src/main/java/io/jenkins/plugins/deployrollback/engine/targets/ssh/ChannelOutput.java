package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * What a remote command writes to one of its streams, as JSch delivers it (on its own thread): kept
 * until read, with a wait for a marker and for the end of the stream.
 */
final class ChannelOutput extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean closed;

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
        notifyAll();
    }

    /** The end of the stream: the command ended or the connection went. */
    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Everything received so far. */
    synchronized byte[] snapshot() {
        return bytes.toByteArray();
    }

    /**
     * Waits until {@code marker} followed by a newline arrived, then returns and drops everything up to
     * and including that line; returns the text between marker and newline at index 1.
     *
     * @return null when the stream ended first
     * @throws java.util.concurrent.TimeoutException when {@code deadline} (System.nanoTime) passes first
     */
    synchronized byte[][] takeThrough(byte[] marker, long deadline)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        while (true) {
            byte[] content = bytes.toByteArray();
            int at = indexOf(content, marker, 0);
            if (at >= 0) {
                int end = indexOf(content, new byte[] {'\n'}, at + marker.length);
                if (end >= 0) {
                    byte[] before = Arrays.copyOfRange(content, 0, at);
                    byte[] rest = Arrays.copyOfRange(content, at + marker.length, end);
                    bytes.reset();
                    bytes.write(content, end + 1, content.length - end - 1);
                    return new byte[][] {before, rest};
                }
            }
            if (closed) {
                return null;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new java.util.concurrent.TimeoutException();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until the stream ends; false if {@code deadline} passed first. */
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

    private static int indexOf(byte[] content, byte[] marker, int from) {
        outer:
        for (int i = from; i <= content.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (content[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.net.ExtendedSocketOptions;

/**
 * What the helper and its client say to each other over the helper's socket: frames of one type
 * byte, a length and that many bytes. A client opens with one of {@link #RUN}, {@link #STATUS} or
 * {@link #STOP}; while a command runs it sends what is typed at its terminal and an interrupt, and
 * the helper sends output until the exit status. Only {@code java.base} is used here, so that the
 * client starts in a few classes.
 */
final class Frames {
    /** Raised whenever a frame changes meaning; a helper refuses a client of another version. */
    static final int VERSION = 1;

    // Client to helper.
    static final byte RUN = 'r';
    static final byte STATUS = 's';
    /** Stop, waiting for the running commands; with {@link #NOW} as payload, interrupting them. */
    static final byte STOP = 'q';

    static final byte INPUT = 'i';
    static final byte INPUT_END = 'e';
    static final byte INTERRUPT = 'c';

    // Helper to client.
    static final byte OUT = 'o';
    static final byte ERR = 'w';
    static final byte WANT_INPUT = 't';
    static final byte EXIT = 'x';
    static final byte DECLINED = 'n';
    static final byte ANSWER = 'a';

    /** The payload of a {@link #STOP} that interrupts the running commands. */
    static final String NOW = "now";

    /** Larger frames are refused: an environment with its secrets is far smaller. */
    private static final int LARGEST = 16 << 20;

    private Frames() {}

    /** One frame. */
    record Frame(byte type, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int number() throws IOException {
            return new DataInputStream(new ByteArrayInputStream(payload)).readInt();
        }
    }

    /** What a client asks the helper to run, as it would run in the client's own process. */
    record Request(
            int version,
            String build,
            String folder,
            boolean console,
            String charset,
            List<String> arguments,
            Map<String, String> environment) {
        byte[] encode() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(version);
            string(out, build);
            string(out, folder);
            out.writeBoolean(console);
            string(out, charset);
            out.writeInt(arguments.size());
            for (String argument : arguments) {
                string(out, argument);
            }
            out.writeInt(environment.size());
            for (Map.Entry<String, String> variable : environment.entrySet()) {
                string(out, variable.getKey());
                string(out, variable.getValue());
            }
            out.flush();
            return bytes.toByteArray();
        }

        static Request decode(byte[] payload) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            int version = in.readInt();
            if (version != VERSION) {
                // The rest may mean something else: only the version is read.
                return new Request(version, "", "", false, "UTF-8", List.of(), Map.of());
            }
            String build = string(in);
            String folder = string(in);
            boolean console = in.readBoolean();
            String charset = string(in);
            int count = in.readInt();
            List<String> arguments = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                arguments.add(string(in));
            }
            count = in.readInt();
            Map<String, String> environment = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                environment.put(string(in), string(in));
            }
            return new Request(version, build, folder, console, charset, arguments, environment);
        }

        /** Never shows the environment: it may hold secrets. */
        @Override
        public String toString() {
            return "request to run " + arguments.size() + " arguments in " + folder;
        }
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > LARGEST) {
            throw new IOException("malformed frame: a string of " + length + " bytes");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Writes one frame and flushes it; callers writing from several threads hold the stream's lock. */
    static void write(DataOutputStream out, byte type, byte[] payload, int offset, int length) throws IOException {
        out.writeByte(type);
        out.writeInt(length);
        out.write(payload, offset, length);
        out.flush();
    }

    static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
        write(out, type, payload, 0, payload.length);
    }

    static void write(DataOutputStream out, byte type, String text) throws IOException {
        write(out, type, text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeNumber(DataOutputStream out, byte type, int number) throws IOException {
        write(out, type, new byte[] {
            (byte) (number >>> 24), (byte) (number >>> 16), (byte) (number >>> 8), (byte) number
        });
    }

    /** The next frame, or null when the other side closed the connection between frames. */
    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 0 || length > LARGEST) {
            throw new IOException("malformed frame: " + length + " bytes");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException("the connection closed inside a frame");
        }
        return new Frame((byte) type, payload);
    }

    /** An output stream that sends what is written to it as frames of {@code type}. */
    static OutputStream stream(DataOutputStream out, byte type) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (length == 0) {
                    return;
                }
                synchronized (out) {
                    Frames.write(out, type, bytes, offset, length);
                }
            }
        };
    }

    /**
     * A stream for reading frames from {@code channel}. Reads and writes use the channel directly:
     * the streams of {@link java.nio.channels.Channels} share one lock, so a thread blocked reading
     * would keep another from writing.
     */
    static DataInputStream input(SocketChannel channel) {
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return length == 0 ? 0 : channel.read(ByteBuffer.wrap(bytes, offset, length));
            }
        };
        return new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }

    /** The helper's socket is served by a process of another user: nothing was sent to it. */
    static final class ForeignHelper extends IOException {
        ForeignHelper(Path socket, UserPrincipal user) {
            super(socket + " is served by user " + user.getName() + ", not by you: nothing was sent to it. Remove it,"
                    + " or name a folder of your own with " + HelperFolder.VARIABLE + ".");
        }
    }

    /**
     * A connection to the helper on {@code socket}, or null when none answers there (no socket, or one
     * left by a helper that died).
     *
     * @throws ForeignHelper when a process of another user answers
     */
    static SocketChannel connect(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return null;
        }
        try {
            UserPrincipal peer =
                    channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
            if (!peer.equals(Identity.user())) {
                throw new ForeignHelper(socket, peer);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A stream for writing frames to {@code channel}; see {@link #input}. */
    static DataOutputStream output(SocketChannel channel) {
        return new DataOutputStream(new BufferedOutputStream(socket(channel), 1 << 16));
    }

    /**
     * A stream for writing frames to {@code channel} from threads that may be interrupted; see
     * {@link Outbox}. Closing it stops its thread and leaves the channel open.
     */
    static DataOutputStream outputForAnyThread(SocketChannel channel, String name) {
        return new DataOutputStream(new BufferedOutputStream(new Outbox(socket(channel), name), 1 << 16));
    }

    private static OutputStream socket(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }
}

package io.jenkins.plugins.deployrollback.engine.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An append-only file of JSON values, one per line, that survives crashes and concurrent writers.
 *
 * <p>Each append holds an exclusive lock on the file (between processes, and between threads of this
 * process), writes the whole line in one call and forces it to disk before returning. A writer that
 * died mid-line leaves a final line without its newline; the next append first ends that torn line
 * so it cannot swallow the new record, and every reader reports it and skips it, never the records
 * around it.
 */
public final class JsonLines {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private JsonLines() {}

    /** Appends {@code value} as one line; when this returns, the line is on disk. */
    public static void append(Path file, Object value) throws IOException {
        append(file, value, null);
    }

    /**
     * Like {@link #append(Path, Object)}; {@code crashPoint} names a {@link CrashPoint} reached after
     * half of the line is written, so tests can leave a torn record behind.
     */
    public static void append(Path file, Object value, String crashPoint) throws IOException {
        byte[] line = (Json.mapper().writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(file.toAbsolutePath().getParent());
        withExclusiveLock(file, channel -> {
            long size = channel.size();
            if (size > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                channel.read(last, size - 1);
                if (last.get(0) != '\n') {
                    writeFully(channel, ByteBuffer.wrap(new byte[] {'\n'}), size);
                    size++;
                }
            }
            if (crashPoint != null) {
                writeFully(channel, ByteBuffer.wrap(line, 0, line.length / 2), size);
                channel.force(false);
                CrashPoint.reach(crashPoint);
                writeFully(
                        channel,
                        ByteBuffer.wrap(line, line.length / 2, line.length - line.length / 2),
                        size + line.length / 2);
            } else {
                writeFully(channel, ByteBuffer.wrap(line), size);
            }
            channel.force(false);
        });
    }

    /** Runs {@code action} with the file open for reading and writing and exclusively locked. */
    public static void withExclusiveLock(Path file, ChannelAction action) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try (FileChannel channel =
                FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Released when the channel closes.
            channel.lock();
            action.run(channel);
        } finally {
            local.unlock();
        }
    }

    /**
     * Reads every intact line as a {@code type}; torn or unreadable lines go to {@code problems}. Holds
     * a shared lock on the file while reading, so an append under way is never mistaken for a torn
     * record. Opens the file for reading only: a read works on a read-only file system, or for a user
     * who may only read.
     */
    public static <T> List<T> read(Path file, Class<T> type, List<String> problems) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return parse(file.toString(), readAll(file), type, problems);
    }

    /**
     * The file's bytes, read under the same shared lock as {@link #read}; empty when there is no file.
     * For readers that parse only part of it.
     */
    public static byte[] readAll(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new byte[0];
        }
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        byte[] content;
        local.lock();
        try (FileChannel channel = FileChannel.open(key, StandardOpenOption.READ)) {
            // Released when the channel closes. Appends take it exclusively.
            channel.lock(0, Long.MAX_VALUE, true);
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(channel.size()));
            long at = 0;
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, at);
                if (read < 0) {
                    break;
                }
                at += read;
            }
            content = buffer.array();
        } finally {
            local.unlock();
        }
        return content;
    }

    /**
     * Reads every intact line of {@code bytes} (the content of {@code source}) as a {@code type}; torn
     * or unreadable lines go to {@code problems}.
     */
    public static <T> List<T> parse(String source, byte[] bytes, Class<T> type, List<String> problems) {
        List<T> values = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            boolean complete = end < bytes.length;
            if (!complete) {
                problems.add(source + ": the last record (line " + lineNumber + ", " + (end - start)
                        + " bytes) is incomplete, left by a writer that was interrupted; it was ignored");
            } else if (!line.isBlank()) {
                try {
                    values.add(Json.mapper().readValue(line, type));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    problems.add(source + ": line " + lineNumber + " is unreadable and was ignored ("
                            + firstLine(e.getMessage()) + ")");
                }
            }
            start = end + 1;
        }
        return values;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Work done while a file is locked. */
    @FunctionalInterface
    public interface ChannelAction {
        void run(FileChannel channel) throws IOException;
    }
}

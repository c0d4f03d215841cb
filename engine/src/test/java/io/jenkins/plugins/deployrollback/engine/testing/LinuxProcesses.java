package io.jenkins.plugins.deployrollback.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What only Linux's {@code /proc} tells about processes that are not this JVM's children: which carry
 * a given environment variable, and which have ended but wait to be reaped by whoever adopted them.
 */
final class LinuxProcesses {
    private static final Path PROC = Path.of("/proc");

    private LinuxProcesses() {}

    /**
     * The running processes whose environment holds {@code name=value}: every process of one server,
     * including those that left its process tree when their parent died.
     */
    static List<ProcessHandle> withEnvironment(String name, String value) throws IOException {
        // Compared as bytes (ISO-8859-1 maps each byte to one char): environments need not be UTF-8.
        String entry = new String((name + "=" + value).getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                if (environment(process).contains(entry)) {
                    ProcessHandle.of(Long.parseLong(process.getFileName().toString()))
                            .ifPresent(found::add);
                }
            }
        }
        return found;
    }

    private static List<String> environment(Path process) {
        try {
            // Empty for a zombie: it has no memory left, so it never counts as carrying anything.
            byte[] bytes = Files.readAllBytes(process.resolve("environ"));
            return List.of(new String(bytes, StandardCharsets.ISO_8859_1).split("\0"));
        } catch (IOException e) {
            return List.of(); // ended meanwhile, or another user's
        }
    }

    /**
     * Whether {@code process} still runs. {@link ProcessHandle#isAlive()} alone also says so of a zombie:
     * killed, holding nothing any more, but not yet reaped by the process that adopted it.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(PROC.resolve(process.pid() + "/stat"), StandardCharsets.ISO_8859_1);
            // "pid (command) S …": the state follows the last parenthesis, as the command may hold one.
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}

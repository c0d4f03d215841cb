package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Starting, asking and stopping the helper of a working folder: what {@code deploy-rollback daemon} does. */
public final class Helpers {
    /** How long a helper being started may take to listen. */
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private Helpers() {}

    /** A helper that answered: its process and what it said about itself. */
    public record Running(long pid, String status) {}

    /** The socket of the helper for {@code folder}, in the user's helpers' folder (made private if new). */
    public static Path socket(Map<String, String> environment, Path folder) throws IOException {
        return HelperFolder.of(environment, Identity.uid())
                .prepare(Identity.user())
                .socket(folder);
    }

    /** Where the helper for {@code folder} logs. */
    public static Path log(Map<String, String> environment, Path folder) throws IOException {
        return HelperFolder.of(environment, Identity.uid()).log(folder);
    }

    /** The helper listening on {@code socket}, or null when none answers. */
    public static Running running(Path socket) throws IOException {
        return ask(socket, Frames.STATUS);
    }

    /**
     * Asks the helper on {@code socket} to stop, interrupting its running commands if {@code now};
     * returns it as it was, or null when none answered.
     */
    public static Running stop(Path socket, boolean now) throws IOException {
        return ask(socket, Frames.STOP, now ? Frames.NOW : "");
    }

    private static Running ask(Path socket, byte question) throws IOException {
        return ask(socket, question, "");
    }

    private static Running ask(Path socket, byte question, String detail) throws IOException {
        SocketChannel channel = Frames.connect(socket);
        if (channel == null) {
            return null;
        }
        try (channel) {
            DataOutputStream out = Frames.output(channel);
            DataInputStream in = Frames.input(channel);
            Frames.write(out, question, detail);
            Frames.Frame answer = Frames.read(in);
            if (answer == null || answer.type() != Frames.ANSWER) {
                return null;
            }
            String status = answer.text();
            long pid = Long.parseLong(status.lines().findFirst().orElse("pid 0").substring("pid ".length()));
            return new Running(pid, status);
        }
    }

    /**
     * Starts the helper for {@code folder} in a process of its own, in a session of its own (Ctrl-C at
     * this terminal does not reach it), and returns once it listens.
     *
     * @param java the java command to run it with
     * @param jar the deploy-rollback jar
     * @param arguments the command that makes the jar serve ({@code daemon serve ...})
     * @throws IOException when it did not come up, with the end of its log
     */
    public static Running start(Path socket, Path log, Path folder, String java, Path jar, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            command.add(setsid.toString());
        }
        command.add(java);
        // A long-lived process: the serial collector still suits its small heap; both JIT compilers.
        command.add("-XX:+UseSerialGC");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        // The log says which commands ran when: for the user only, as the folder it is in.
        Set<PosixFilePermission> private_ = PosixFilePermissions.fromString("rw-------");
        if (Files.exists(log, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(log, private_);
        } else {
            Files.createFile(log, PosixFilePermissions.asFileAttribute(private_));
        }
        Process process = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        long pause = 5;
        while (System.nanoTime() < deadline) {
            Running running = running(socket);
            if (running != null) {
                return running;
            }
            if (process.waitFor(pause, TimeUnit.MILLISECONDS)) {
                break;
            }
            pause = Math.min(pause * 2, 200);
        }
        process.destroy();
        throw new IOException("The helper did not start within " + START_LIMIT.toSeconds() + " s. Its log, " + log
                + ", ends with:\n  " + String.join("\n  ", tail(log)));
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 10), lines.size());
        } catch (IOException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }

    /** The build {@code jar} holds, as clients name it. */
    public static String build(Path jar) throws IOException {
        return Identity.build(jar);
    }
}

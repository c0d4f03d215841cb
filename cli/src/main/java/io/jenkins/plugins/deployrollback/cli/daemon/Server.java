package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The helper: one long-lived process per user and working folder that runs the commands its clients
 * hand it, so that each command finds the JVM warm and the SSH connections of the last one still
 * open. It listens on a Unix socket in the user's private {@link HelperFolder} and answers only
 * processes of its own user. Commands run side by side, each in a thread of its own, with the
 * client's arguments, environment variables and terminal; the targets' locks keep them apart as they
 * keep two processes apart. A client that goes away, or is interrupted, interrupts its command. It
 * stops when told to, when a client of another build asks, or after a time with no command; a
 * command still running is waited for, never cut short.
 */
public final class Server {
    private final ServerSocketChannel channel;
    private final Path socket;
    private final String folder;
    private final String build;
    private final Duration idle;
    private final HelperCommands commands;
    private final Supplier<String> details;
    private final Consumer<String> log;
    private final UserPrincipal owner;
    private final Clock clock = Clock.systemUTC();
    private final Instant started;

    private int running;
    private final Set<Thread> commandThreads = new HashSet<>();
    private long run;
    private Instant lastEnded;
    private boolean stopping;

    private Server(
            ServerSocketChannel channel,
            Path socket,
            String folder,
            String build,
            Duration idle,
            HelperCommands commands,
            Supplier<String> details,
            Consumer<String> log)
            throws IOException {
        this.channel = channel;
        this.socket = socket;
        this.folder = folder;
        this.build = build;
        this.idle = idle;
        this.commands = commands;
        this.details = details;
        this.log = log;
        this.owner = Files.getOwner(socket);
        this.started = clock.instant();
        this.lastEnded = started;
    }

    /**
     * Listens on {@code socket} for the commands run in {@code folder} by clients of {@code build}.
     *
     * @param details more lines for the status (the connections kept), asked each time
     * @param log where the helper says when it started, what it ran and why it stopped; never secrets
     * @throws IOException when another helper already listens there, or the socket cannot be made
     */
    public static Server listen(
            Path socket,
            Path folder,
            String build,
            Duration idle,
            HelperCommands commands,
            Supplier<String> details,
            Consumer<String> log)
            throws IOException {
        if (Files.exists(socket)) {
            if (answers(socket)) {
                throw new IOException("A helper already listens on " + socket);
            }
            // Left by a helper that was killed.
            Files.delete(socket);
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return new Server(channel, socket, folder.toString(), build, idle, commands, details, log);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs commands until the helper stops, then waits for the ones still running. */
    public void serve() throws InterruptedException {
        log.accept("listening on " + socket + " for the commands run in " + folder + "; stops after " + describe(idle)
                + " without one");
        Thread watch = new Thread(this::stopWhenIdle, "helper-idle");
        watch.setDaemon(true);
        watch.start();
        long connections = 0;
        while (true) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException stopped) {
                break;
            } catch (IOException e) {
                log.accept("could not accept a connection: " + e.getMessage());
                continue;
            }
            Thread handler = new Thread(() -> handle(client), "helper-connection-" + ++connections);
            handler.start();
        }
        synchronized (this) {
            while (running > 0) {
                wait();
            }
        }
        log.accept("stopped after " + run + " commands");
    }

    /** Stops listening at once (new commands run without the helper), then ends when the running ones have. */
    public void stop(String why) {
        stop(why, false);
    }

    /**
     * Stops listening at once (new commands run without the helper), then ends when the running ones
     * have; with {@code now}, they are interrupted first, as Ctrl-C in their terminals would: each
     * stops at its next safe point, as an aborted build does, and releases its locks.
     */
    public synchronized void stop(String why, boolean now) {
        if (now && !commandThreads.isEmpty()) {
            log.accept("interrupting " + commandThreads.size() + " running commands: " + why);
            commandThreads.forEach(Thread::interrupt);
        }
        if (stopping) {
            return;
        }
        stopping = true;
        log.accept("stopping: " + why + (running > 0 ? "; waiting for " + running + " running commands" : ""));
        // The socket goes first: once it is gone a new helper may take its place, and this one never
        // touches the path again.
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.accept("could not remove " + socket + ": " + e.getMessage());
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.accept("could not close " + socket + ": " + e.getMessage());
        }
        notifyAll();
    }

    private synchronized void stopWhenIdle() {
        try {
            while (!stopping) {
                if (running > 0) {
                    wait();
                    continue;
                }
                long left =
                        Duration.between(clock.instant(), lastEnded.plus(idle)).toMillis();
                if (left <= 0) {
                    stop("no command for " + describe(idle));
                    return;
                }
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(SocketChannel client) {
        try (client) {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!peer.user().equals(owner)) {
                log.accept("refused a connection from user " + peer.user().getName());
                return;
            }
            try (DataOutputStream out =
                    Frames.outputForAnyThread(client, Thread.currentThread().getName() + "-output")) {
                converse(client, out);
            }
        } catch (IOException e) {
            log.accept("a connection failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void converse(SocketChannel client, DataOutputStream out) throws IOException, InterruptedException {
        DataInputStream in = Frames.input(client);
        Frames.Frame first = Frames.read(in);
        if (first == null) {
            return;
        }
        switch (first.type()) {
            case Frames.STATUS -> Frames.write(out, Frames.ANSWER, status());
            case Frames.STOP -> {
                Frames.write(out, Frames.ANSWER, status());
                boolean now = Frames.NOW.equals(first.text());
                stop("asked to by deploy-rollback daemon stop" + (now ? " --now" : ""), now);
            }
            case Frames.RUN -> run(Frames.Request.decode(first.payload()), in, out);
            default -> log.accept("refused a connection that opened with a frame of type " + first.type());
        }
    }

    private void run(Frames.Request request, DataInputStream in, DataOutputStream out)
            throws IOException, InterruptedException {
        String declined = admit(request);
        if (declined != null) {
            synchronized (out) {
                Frames.write(out, Frames.DECLINED, declined);
            }
            return;
        }
        Instant start = clock.instant();
        String name = request.arguments().isEmpty()
                ? "(no command)"
                : request.arguments().get(0);
        int[] status = {10};
        Thread command = null;
        try {
            Charset charset = charset(request.charset());
            PrintWriter stdout = new PrintWriter(new OutputStreamWriter(Frames.stream(out, Frames.OUT), charset));
            PrintWriter stderr = new PrintWriter(new OutputStreamWriter(Frames.stream(out, Frames.ERR), charset));
            TerminalInput terminal = request.console() ? new TerminalInput(out) : null;
            command = commandThread(name, request, stdout, stderr, terminal, status);
            Thread listener = listener(in, command, terminal);
            synchronized (this) {
                commandThreads.add(command);
            }
            command.start();
            listener.start();
            command.join();
            try {
                synchronized (out) {
                    Frames.writeNumber(out, Frames.EXIT, status[0]);
                }
            } catch (IOException gone) {
                // The client went away; its command was interrupted and has ended.
            }
        } finally {
            synchronized (this) {
                commandThreads.remove(command);
                running--;
                run++;
                lastEnded = clock.instant();
                notifyAll();
            }
            log.accept(name + " ended with status " + status[0] + " after "
                    + Duration.between(start, clock.instant()).toMillis() + " ms");
        }
    }

    private Thread commandThread(
            String name,
            Frames.Request request,
            PrintWriter stdout,
            PrintWriter stderr,
            TerminalInput terminal,
            int[] status) {
        return new Thread(
                () -> {
                    try {
                        status[0] = commands.run(
                                request.arguments(),
                                request.environment(),
                                request.console(),
                                stdout,
                                stderr,
                                terminal);
                    } catch (RuntimeException | Error e) {
                        stderr.println("error: the helper failed to run the command: " + e);
                    } finally {
                        stdout.flush();
                        stderr.flush();
                    }
                },
                "helper-command-" + name);
    }

    private static Thread listener(DataInputStream in, Thread command, TerminalInput terminal) {
        Thread listener = new Thread(() -> listen(in, command, terminal), "helper-client-input");
        listener.setDaemon(true);
        return listener;
    }

    /** Null when {@code request} may run now (counted as running), else why not (empty: say nothing). */
    private String admit(Frames.Request request) {
        synchronized (this) {
            if (request.version() == Frames.VERSION && build.equals(request.build()) && !stopping) {
                if (!folder.equals(request.folder())) {
                    return "";
                }
                running++;
                notifyAll();
                return null;
            }
            if (stopping) {
                return "";
            }
        }
        stop("a client of another build asked (" + request.build() + ")");
        return "the helper for this folder ran another build of deploy-rollback and has stopped; this command"
                + " runs without it. deploy-rollback daemon start starts one of this build.";
    }

    /** Reads what the client sends while its command runs: terminal lines, an interrupt, or its going. */
    private static void listen(DataInputStream in, Thread command, TerminalInput terminal) {
        try {
            while (true) {
                Frames.Frame frame = Frames.read(in);
                if (frame == null) {
                    break;
                }
                switch (frame.type()) {
                    case Frames.INPUT -> {
                        if (terminal != null) {
                            terminal.typed(frame.text());
                        }
                    }
                    case Frames.INPUT_END -> {
                        if (terminal != null) {
                            terminal.closed();
                        }
                    }
                    case Frames.INTERRUPT -> command.interrupt();
                    default -> {
                        // A newer client's frame: ignored.
                    }
                }
            }
        } catch (IOException e) {
            // The connection broke: the same as the client going away.
        }
        // The client is gone (or the command ended and the connection was closed): a command still
        // running has no one to report to, and stops as an aborted build does.
        command.interrupt();
        if (terminal != null) {
            terminal.closed();
        }
    }

    private synchronized String status() {
        Instant now = clock.instant();
        StringBuilder text = new StringBuilder();
        text.append("pid ").append(ProcessHandle.current().pid()).append('\n');
        text.append("folder ").append(folder).append('\n');
        text.append("started ").append(started.truncatedTo(ChronoUnit.SECONDS)).append('\n');
        text.append("commands ").append(run).append(" run, ").append(running).append(" running\n");
        text.append("idle ")
                .append(running > 0 ? "no" : describe(Duration.between(lastEnded, now)))
                .append(" (stops after ")
                .append(describe(idle))
                .append(" without a command)\n");
        String more = details.get();
        if (!more.isEmpty()) {
            text.append(more).append('\n');
        }
        text.append("build ").append(build).append('\n');
        return text.toString();
    }

    private static String describe(Duration duration) {
        return duration.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}

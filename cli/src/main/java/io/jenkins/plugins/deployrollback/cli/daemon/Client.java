package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.BufferedReader;
import java.io.Console;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client the launcher runs first when a helper may be running: it hands the command line, the
 * working folder and the environment variables to the helper for this folder, prints what the
 * command prints, forwards what is typed at the terminal when a gate asks, and exits with the
 * command's status. When there is no helper for this folder (or it declines: another build, being
 * stopped) it exits with {@link #NO_HELPER} at once, having printed nothing, and the launcher runs the
 * command in a JVM of its own. Ctrl-C interrupts the command in the helper, which stops it as an
 * aborted build is stopped, releasing its locks, and the client waits for it to say so.
 */
public final class Client {
    /** Exit status meaning "no helper ran it": the launcher runs the command itself. */
    static final int NO_HELPER = 125;
    /** Exit status after Ctrl-C, as a shell reports a command that SIGINT stopped. */
    private static final int INTERRUPTED = 130;
    /** How long Ctrl-C waits for the helper to stop the command (its hooks get their own timeout to die). */
    private static final long INTERRUPT_WAIT_SECONDS = 60;

    private final OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    private final OutputStream stderr = new FileOutputStream(FileDescriptor.err);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile int status = -1;

    private Client() {}

    public static void main(String[] args) {
        int status;
        try {
            status = new Client().run(args);
        } catch (IOException e) {
            System.err.println("deploy-rollback: the helper for this folder failed: " + e.getMessage()
                    + ". Stop it with `deploy-rollback daemon stop`, or set DEPLOY_ROLLBACK_DAEMON=off.");
            status = 10;
        }
        System.exit(status);
    }

    private int run(String[] args) throws IOException {
        Path folder;
        Path jar;
        try {
            folder = Path.of("").toAbsolutePath().toRealPath();
            jar = Path.of(Client.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return NO_HELPER;
        }
        Path socket = HelperFolder.of(System.getenv(), Identity.uid()).socket(folder);
        SocketChannel channel;
        try {
            channel = Frames.connect(socket);
        } catch (Frames.ForeignHelper e) {
            System.err.println("deploy-rollback: " + e.getMessage());
            return NO_HELPER;
        }
        if (channel == null) {
            // No helper, or a socket left by one that died: the next `daemon start` removes it.
            return NO_HELPER;
        }
        try (channel) {
            DataOutputStream out = Frames.output(channel);
            DataInputStream in = Frames.input(channel);
            Console console = System.console();
            Frames.Request request = new Frames.Request(
                    Frames.VERSION,
                    Identity.build(jar),
                    folder.toString(),
                    console != null,
                    console != null
                            ? console.charset().name()
                            : Charset.defaultCharset().name(),
                    Arrays.asList(args),
                    System.getenv());
            Frames.write(out, Frames.RUN, request.encode());
            Thread hook = new Thread(() -> interrupt(out), "deploy-rollback-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            return relay(in, out, console);
        }
    }

    private int relay(DataInputStream in, DataOutputStream out, Console console) throws IOException {
        try {
            while (true) {
                Frames.Frame frame = Frames.read(in);
                if (frame == null) {
                    throw new IOException("it closed the connection before the command ended");
                }
                switch (frame.type()) {
                    case Frames.OUT -> {
                        stdout.write(frame.payload());
                        stdout.flush();
                    }
                    case Frames.ERR -> {
                        stderr.write(frame.payload());
                        stderr.flush();
                    }
                    case Frames.WANT_INPUT -> forwardTerminal(out, console);
                    case Frames.DECLINED -> {
                        if (frame.payload().length > 0) {
                            System.err.println("deploy-rollback: " + frame.text());
                        }
                        status = NO_HELPER;
                        return status;
                    }
                    case Frames.EXIT -> {
                        status = frame.number();
                        return status;
                    }
                    default -> throw new IOException("it sent a frame of unknown type " + frame.type());
                }
            }
        } finally {
            ended.countDown();
        }
    }

    /** Sends each line typed at the terminal, then the end of input, from a thread of its own. */
    private static void forwardTerminal(DataOutputStream out, Console console) {
        if (console == null) {
            return;
        }
        Thread reader = new Thread(
                () -> {
                    BufferedReader lines = new BufferedReader(console.reader());
                    try {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            synchronized (out) {
                                Frames.write(out, Frames.INPUT, line);
                            }
                        }
                        synchronized (out) {
                            Frames.write(out, Frames.INPUT_END, new byte[0]);
                        }
                    } catch (IOException e) {
                        // The command ended and the connection with it.
                    }
                },
                "terminal-forwarder");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * At Ctrl-C (or any signal that ends this JVM) while the command runs: asks the helper to interrupt
     * it and prints what it says while it stops, then ends with the status a shell expects.
     */
    private void interrupt(DataOutputStream out) {
        if (ended.getCount() == 0) {
            return;
        }
        try {
            synchronized (out) {
                Frames.write(out, Frames.INTERRUPT, new byte[0]);
            }
            ended.await(INTERRUPT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException e) {
            // The helper is gone: it interrupted the command when the connection closed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(INTERRUPTED);
    }
}

package io.jenkins.plugins.deployrollback.engine.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Facts about the machine and process the engine runs in, for lock ownership. */
public final class Machine {
    private static final String HOST = findHostName();

    private Machine() {}

    /** This machine's host name, or {@code unknown-host}. */
    public static String hostName() {
        return HOST;
    }

    /** This process's id. */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** When this process started, if the system says. */
    public static Instant processStart() {
        return ProcessHandle.current().info().startInstant().orElse(null);
    }

    /**
     * False only when a process with {@code pid} certainly no longer runs on this machine: there is
     * none, or the one there started at another time (the id was reused).
     */
    public static boolean mayBeAlive(long pid, Instant startedAt) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || isZombie(pid)) {
            return false;
        }
        if (startedAt == null) {
            return true;
        }
        return handle.get().info().startInstant().map(s -> s.equals(startedAt)).orElse(true);
    }

    /**
     * A killed process stays in the process table until its parent collects it, and Java counts it as
     * alive; on Linux its state in /proc says it is a zombie, which holds no lock.
     */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static String findHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).trim();
            }
        } catch (IOException e) {
            // fall through to the resolver
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}

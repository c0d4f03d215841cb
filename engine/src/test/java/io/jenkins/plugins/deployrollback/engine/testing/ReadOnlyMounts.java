package io.jenkins.plugins.deployrollback.engine.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.AssumptionViolatedException;

/**
 * Runs a command that sees a folder as a read-only file system, as after a disk was remounted
 * read-only: {@code unshare} gives the command its own user and mount namespaces, where the folder is
 * bind-mounted onto itself read-only. Nothing outside the command sees the mount; it ends with it.
 */
public final class ReadOnlyMounts {
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(30);

    private ReadOnlyMounts() {}

    /**
     * Returns when this machine lets a test mount a folder read-only for one command; otherwise skips
     * the test naming why (user namespaces disabled, say), or under {@code CI=true} fails it.
     */
    public static void require(Path folder) throws IOException, InterruptedException {
        SystemProgram.require(SystemProgram.UNSHARE);
        ExecResult probe =
                ExecResult.run(under(folder, List.of("sh", "-c", "! touch .read-only-probe 2>/dev/null")), PROBE_LIMIT);
        if (probe.succeeded()) {
            return;
        }
        String why = "This test mounts a folder read-only in its own user and mount namespaces (unshare -rm), which"
                + " this machine does not allow: " + probe;
        if (SystemProgram.underCi()) {
            throw new AssertionError(why + "; CI=true runs every test");
        }
        throw new AssumptionViolatedException("Skipped: " + why);
    }

    /** {@code command}, run in {@code folder} with {@code folder} (and all below it) read-only. */
    public static List<String> under(Path folder, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of(
                SystemProgram.UNSHARE.command(),
                "--map-root-user",
                "--mount",
                "sh",
                "-c",
                "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && cd \"$1\" && shift && exec \"$@\"",
                "sh",
                folder.toAbsolutePath().toString()));
        wrapped.addAll(command);
        return wrapped;
    }
}

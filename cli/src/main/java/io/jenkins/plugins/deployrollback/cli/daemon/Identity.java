package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/** Who this process runs as, and which build of deploy-rollback it runs. */
final class Identity {
    private Identity() {}

    /** The user this process runs as (the JVM reads its name from the user database at start). */
    static UserPrincipal user() throws IOException {
        return FileSystems.getDefault()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }

    /** This process's user ID. */
    static long uid() {
        Path self = Path.of("/proc/self");
        if (Files.isDirectory(self)) {
            try {
                return ((Number) Files.getAttribute(self, "unix:uid")).longValue();
            } catch (IOException | RuntimeException e) {
                // Asked the slower way below.
            }
        }
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }

    /**
     * The build {@code jar} holds: its path, size and time of change. A helper started from another
     * build (the jar rebuilt or upgraded since) declines its clients, so that no command runs on code
     * other than the one the user installed.
     */
    static String build(Path jar) throws IOException {
        return jar.toAbsolutePath() + " " + Files.size(jar) + " "
                + Files.getLastModifiedTime(jar).toMillis();
    }
}

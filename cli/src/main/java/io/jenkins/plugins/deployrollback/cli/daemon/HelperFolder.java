package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Where a user's helpers listen: one private folder per user, one socket per working folder in it.
 * The folder is {@code $DEPLOY_ROLLBACK_DAEMON_DIR}, else {@code $XDG_RUNTIME_DIR/deploy-rollback},
 * else {@code /tmp/deploy-rollback-UID}; the launcher script computes the same. Only its owner may
 * enter it (mode 0700): a folder another user could enter, or owned by another user, is refused.
 */
final class HelperFolder {
    static final String VARIABLE = "DEPLOY_ROLLBACK_DAEMON_DIR";
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private final Path folder;

    private HelperFolder(Path folder) {
        this.folder = folder;
    }

    /** The helpers' folder of the user with {@code uid}, as {@code environment} names it. */
    static HelperFolder of(Map<String, String> environment, long uid) {
        String named = environment.get(VARIABLE);
        if (named != null && !named.isEmpty()) {
            return new HelperFolder(Path.of(named).toAbsolutePath().normalize());
        }
        String runtime = environment.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            return new HelperFolder(Path.of(runtime, "deploy-rollback"));
        }
        return new HelperFolder(Path.of("/tmp", "deploy-rollback-" + uid));
    }

    Path path() {
        return folder;
    }

    /** The socket of the helper for commands run in {@code workingFolder} (its real path). */
    Path socket(Path workingFolder) {
        return folder.resolve(name(workingFolder) + ".sock");
    }

    /** What the helper for {@code workingFolder} writes about itself: when it started and stopped, and why. */
    Path log(Path workingFolder) {
        return folder.resolve(name(workingFolder) + ".log");
    }

    // A hash keeps the socket's path within the 108 bytes a Unix socket address allows. Two folders
    // with the same hash share nothing: the helper runs only the commands of the folder it serves and
    // declines the others, which then run without it. (CRC-32 and String's hash: cheap to start.)
    private static String name(Path workingFolder) {
        String text = workingFolder.toString();
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x%08x", crc.getValue(), text.hashCode());
    }

    /**
     * Creates the folder, private to {@code owner}, or checks that it is: owned by {@code owner} and
     * closed to everyone else.
     *
     * @throws IOException saying what is wrong with it and how to fix it
     */
    HelperFolder prepare(UserPrincipal owner) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder.getParent());
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PRIVATE));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // Another helper created it at the same moment: it is checked below like any other.
            }
            Files.setPosixFilePermissions(folder, PRIVATE);
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("The helpers' folder " + folder
                    + " is not a folder (or is a link): remove it, or name another with " + VARIABLE);
        }
        UserPrincipal holder = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS);
        if (!holder.equals(owner)) {
            throw new IOException("The helpers' folder " + folder + " belongs to " + holder.getName() + ", not to "
                    + owner.getName() + ": another user may have made it to listen in. Name a folder of your own with "
                    + VARIABLE + ".");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS);
        if (!PRIVATE.equals(permissions)) {
            throw new IOException("The helpers' folder " + folder + " is open to others (mode "
                    + PosixFilePermissions.toString(permissions)
                    + "): the helper hears only its own user. Run chmod 700 "
                    + folder + " or name another folder with " + VARIABLE + ".");
        }
        return this;
    }
}

package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Checks the key a host offers against known_hosts, for one connection. Remembers what it was
 * offered, so that a refusal can name the key's fingerprint and say how to trust it. In accept-new
 * mode a host not yet listed is trusted and its key appended to the file; a changed key is refused
 * in every mode.
 */
final class HostKeyCheck implements HostKeyRepository {
    private static final Object APPEND = new Object();

    private final HostKeyVerification verification;
    private final HostKeyRepository known;
    private final String source;
    private String offeredType;
    private String offeredFingerprint;
    private String accepted;

    private HostKeyCheck(HostKeyVerification verification, HostKeyRepository known, String source) {
        this.verification = verification;
        this.known = known;
        this.source = source;
    }

    static HostKeyCheck of(HostKeyVerification verification) throws IOException {
        byte[] text;
        String source;
        if (verification instanceof HostKeyVerification.KnownHostsText given) {
            text = given.text().getBytes(StandardCharsets.UTF_8);
            source = "the given known_hosts";
        } else if (verification instanceof HostKeyVerification.KnownHostsFile file) {
            text = read(file.file(), false);
            source = file.file().toString();
        } else {
            Path file = ((HostKeyVerification.AcceptNew) verification).file();
            text = read(file, true);
            source = file.toString();
        }
        // A JSch of its own parses the known_hosts lines (its parser is not public otherwise).
        JSch parser = new JSch();
        try {
            parser.setKnownHosts(new ByteArrayInputStream(text));
        } catch (JSchException e) {
            throw new IOException("Cannot read known hosts from " + source + ": " + e.getMessage(), e);
        }
        return new HostKeyCheck(verification, parser.getHostKeyRepository(), source);
    }

    private static byte[] read(Path file, boolean mayBeMissing) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (mayBeMissing) {
                return new byte[0];
            }
            throw new IOException("The known_hosts file " + file + " does not exist. Strict host key checking needs"
                    + " the hosts' keys: add them with ssh-keyscan -p PORT HOST >> " + file
                    + " after checking their fingerprints, or give the keys as known_hosts text");
        }
    }

    /** The host key algorithms to ask for: those known for {@code host} first, so the key offered is one we can check. */
    String preferredAlgorithms(String host, String defaults) {
        Set<String> preferred = new LinkedHashSet<>();
        HostKey[] keys = known.getHostKey(host, null);
        if (keys != null) {
            for (HostKey key : keys) {
                String type = key.getType();
                if (type.equals("ssh-rsa")) {
                    preferred.add("rsa-sha2-512");
                    preferred.add("rsa-sha2-256");
                }
                preferred.add(type);
            }
        }
        for (String algorithm : defaults.split(",")) {
            preferred.add(algorithm);
        }
        return String.join(",", preferred);
    }

    @Override
    public int check(String host, byte[] key) {
        offeredType = typeOf(key);
        offeredFingerprint = fingerprint(key);
        int result = known.check(host, key);
        if (result == NOT_INCLUDED && verification instanceof HostKeyVerification.AcceptNew acceptNew) {
            try {
                append(
                        acceptNew.file(),
                        host + " " + offeredType + " " + Base64.getEncoder().encodeToString(key));
            } catch (IOException e) {
                // Not recorded means not trusted: the connection is refused as unknown.
                return NOT_INCLUDED;
            }
            accepted = offeredType + " " + offeredFingerprint;
            return OK;
        }
        return result;
    }

    private static void append(Path file, String line) throws IOException {
        synchronized (APPEND) {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                channel.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
        }
    }

    /**
     * True when known_hosts lists {@code key} for {@code host} now: how a pooled connection, checked when
     * it logged in, is checked again before each reuse (a key removed from known_hosts since is refused).
     * Nothing is appended, in any mode.
     */
    boolean lists(String host, byte[] key) {
        return known.check(host, key) == OK;
    }

    /** The key accepted on first use in this connection ({@code ssh-ed25519 SHA256:…}), or null. */
    String accepted() {
        return accepted;
    }

    /** Why the host's key was refused, with its fingerprint and how to trust it. */
    String refusal(String target, String host, int port, boolean changed) {
        String key = offeredType + " key " + offeredFingerprint;
        String scan = "ssh-keyscan -p " + port + " " + host;
        if (changed) {
            return "The host key of " + target + " (" + host + ":" + port + ") has CHANGED: it offered the " + key
                    + ", which differs from the key listed in " + source + ". Nothing was changed on the host."
                    + " This may be a reinstalled host or someone in the middle: confirm the new fingerprint with"
                    + " the host's administrator, then replace its line in " + source + " (" + scan + ").";
        }
        return "The host key of " + target + " (" + host + ":" + port + ") is unknown: it offered the " + key
                + ", which is not listed in " + source + ". Nothing was changed on the host. To trust it, check"
                + " the fingerprint with the host's administrator, then add it: " + scan + " >> known_hosts"
                + (verification instanceof HostKeyVerification.KnownHostsText
                        ? " (or add that line to the known_hosts text you give)"
                        : " (the file is " + source + ")")
                + ".";
    }

    static String fingerprint(byte[] key) {
        byte[] hash = Sha256.newDigest().digest(key);
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
    }

    private static String typeOf(byte[] key) {
        if (key.length < 4) {
            return "unknown";
        }
        int length = ((key[0] & 0xff) << 24) | ((key[1] & 0xff) << 16) | ((key[2] & 0xff) << 8) | (key[3] & 0xff);
        return length > 0 && length <= key.length - 4
                ? new String(key, 4, length, StandardCharsets.US_ASCII)
                : "unknown";
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Keys are added only by accept-new, in check().
    }

    @Override
    public void remove(String host, String type) {}

    @Override
    public void remove(String host, String type, byte[] key) {}

    @Override
    public String getKnownHostsRepositoryID() {
        return source;
    }

    @Override
    public HostKey[] getHostKey() {
        return known.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return known.getHostKey(host, type);
    }
}

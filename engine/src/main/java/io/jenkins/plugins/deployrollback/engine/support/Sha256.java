package io.jenkins.plugins.deployrollback.engine.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 checksums, as lower-case hex, of bytes, files and streams. */
public final class Sha256 {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {}

    /** A fresh digest; SHA-256 is required of every Java runtime. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }

    public static String of(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in, OutputStream.nullOutputStream()).sha256();
        }
    }

    /** Copies {@code in} to {@code out} while hashing it; returns the size and checksum of what passed. */
    public static Hashed of(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            size += n;
        }
        return new Hashed(size, HexFormat.of().formatHex(digest.digest()));
    }

    /** Throws when {@code value} is not 64 lower-case hex digits. */
    public static String requireHex(String what, String value) {
        if (value == null || !HEX.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    what + " " + Text.quote(value) + " is not a SHA-256 checksum: expected 64 lower-case hex digits");
        }
        return value;
    }

    /** The size and checksum of a stream that was read to its end. */
    public record Hashed(long size, String sha256) {}
}

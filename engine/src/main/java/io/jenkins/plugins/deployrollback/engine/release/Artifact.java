package io.jenkins.plugins.deployrollback.engine.release;

import io.jenkins.plugins.deployrollback.engine.support.Sha256;

/**
 * One file of a release as it lands in {@code releases/<id>/}: its path inside the release, size,
 * SHA-256 and whether it is executable.
 */
public record Artifact(String path, long size, String sha256, boolean executable) {
    public Artifact {
        path = ReleasePath.checkEntry(path);
        if (size < 0) {
            throw new IllegalArgumentException("artifact " + path + " has a negative size");
        }
        Sha256.requireHex("checksum of " + path, sha256);
    }
}

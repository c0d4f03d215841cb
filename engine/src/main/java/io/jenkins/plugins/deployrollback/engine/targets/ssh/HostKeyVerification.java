package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a target's host key is checked. Strict by default: the key must be listed in known_hosts
 * (given as text or as a file); an unknown or changed key is refused, naming the host, the key's
 * fingerprint and how to trust it. {@link AcceptNew} trusts a host seen for the first time and records
 * its key in a file; a changed key is refused there too. There is no mode without verification.
 */
public sealed interface HostKeyVerification {

    /** Only keys listed in known_hosts {@code text} (the format of OpenSSH's known_hosts). */
    static HostKeyVerification knownHosts(String text) {
        return new KnownHostsText(text);
    }

    /** Only keys listed in the known_hosts {@code file}. */
    static HostKeyVerification knownHostsFile(Path file) {
        return new KnownHostsFile(file);
    }

    /** Keys in {@code file}; a host not yet there is trusted on first use and its key appended to it. */
    static HostKeyVerification acceptNew(Path file) {
        return new AcceptNew(file);
    }

    /** Strict, against known_hosts content. */
    record KnownHostsText(String text) implements HostKeyVerification {
        public KnownHostsText {
            Objects.requireNonNull(text, "known_hosts text");
        }

        @Override
        public String toString() {
            return "strict, against the given known_hosts";
        }
    }

    /** Strict, against a known_hosts file. */
    record KnownHostsFile(Path file) implements HostKeyVerification {
        public KnownHostsFile {
            Objects.requireNonNull(file, "known_hosts file");
        }

        @Override
        public String toString() {
            return "strict, against " + file;
        }
    }

    /** Trust on first use, recorded in {@code file}; changed keys refused. */
    record AcceptNew(Path file) implements HostKeyVerification {
        public AcceptNew {
            Objects.requireNonNull(file, "known_hosts file");
        }

        @Override
        public String toString() {
            return "accept new keys into " + file + ", refuse changed ones";
        }
    }
}

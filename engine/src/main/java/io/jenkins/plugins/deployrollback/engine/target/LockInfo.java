package io.jenkins.plugins.deployrollback.engine.target;

import java.time.Instant;

/**
 * Who holds a target's lock, from where, for what, since when and until when. The token tells the
 * holder's own lock from one taken over.
 */
public record LockInfo(
        String owner,
        String host,
        long pid,
        Instant processStart,
        String purpose,
        String token,
        Instant since,
        Instant expires) {

    /** {@code alice on build-7 (pid 4242), deploy r3 to production, since 2026-11-23T14:02:11Z (expires 14:32:11Z)}. */
    public String describe() {
        return owner + " on " + host + " (pid " + pid + "), " + purpose + ", since " + since + " (expires " + expires
                + ")";
    }
}

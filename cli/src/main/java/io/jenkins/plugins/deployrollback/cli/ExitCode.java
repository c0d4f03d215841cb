package io.jenkins.plugins.deployrollback.cli;

/** The exit statuses of {@code deploy-rollback}, documented in docs/cli.md. Scripts may rely on them. */
public final class ExitCode {
    /** The operation succeeded, or there was nothing to do. */
    public static final int OK = 0;
    /** The operation failed; the result says what is live now (before the switch: the old release). */
    public static final int FAILED = 1;
    /** Bad arguments, configuration or artifact (unsafe entries, a release id reused for other content). Nothing was changed. */
    public static final int USAGE = 2;
    /** The release went live, failed its checks and was rolled back automatically. */
    public static final int ROLLED_BACK = 3;
    /**
     * Another operation holds a target's lock: nothing was changed. Or it took this operation's lock
     * over while it ran: this operation stopped at once, changed nothing more and recorded nothing.
     */
    public static final int LOCKED = 4;
    /** The plan was refused (a schema migration crossed, a failed release, nothing to return to). Nothing was changed. */
    public static final int REFUSED = 5;
    /** {@code verify}: a check did not pass; {@code verify-releases}: a release folder is not intact. */
    public static final int CHECK_FAILED = 6;
    /**
     * A target could not be reached or refused the connection before anything changed: host down or
     * unreachable (after the retries), host key unknown or changed, login refused, key unusable.
     */
    public static final int UNREACHABLE = 7;
    /** An unexpected error (I/O, a bug); the message says what happened. */
    public static final int ERROR = 10;

    private ExitCode() {}
}

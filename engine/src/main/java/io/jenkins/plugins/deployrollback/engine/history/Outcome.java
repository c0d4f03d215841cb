package io.jenkins.plugins.deployrollback.engine.history;

/** How an attempt ended. */
public enum Outcome {
    /** The release went live and passed its checks. */
    SUCCEEDED,
    /** The attempt failed; the record's live release says what serves now. */
    FAILED,
    /** The release went live, failed its checks, and the environment was returned to the release before it. */
    ROLLED_BACK
}

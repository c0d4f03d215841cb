package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;

/** How an attempt ended: its outcome, what is live after it, why, and whether it was rolled back. */
record Ending(Outcome outcome, ReleaseId live, String cause, boolean rolledBack) {}

package io.jenkins.plugins.deployrollback.ui;

import jenkins.model.CauseOfInterruption;

/** Why a build stopped: a person rejected a gate's approval. Shown on the build page and in the log. */
public final class GateRejection extends CauseOfInterruption {
    private static final long serialVersionUID = 1L;

    private final String userId;
    /** The approvers group the person rejected as; null when listed by their own ID. */
    private final String as;

    private final String gate;
    private final long timestamp;

    public GateRejection(String userId, String as, String gate) {
        this.userId = userId;
        this.as = as;
        this.gate = gate;
        this.timestamp = System.currentTimeMillis();
    }

    public String getUserId() {
        return userId;
    }

    public String getAs() {
        return as;
    }

    public String getGate() {
        return gate;
    }

    public long getTimestamp() {
        return timestamp;
    }

    @Override
    public String getShortDescription() {
        return "Rejected by " + userId + (as == null ? "" : " (as " + as + ")") + " at gate " + gate;
    }
}

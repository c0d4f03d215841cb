package io.jenkins.plugins.deployrollback.ui;

import jenkins.model.CauseOfInterruption;

/** Why a build stopped: a person rejected a gate's approval. Shown on the build page and in the log. */
public final class GateRejection extends CauseOfInterruption {
    private static final long serialVersionUID = 1L;

    private final String userId;
    private final String gate;
    private final long timestamp;

    public GateRejection(String userId, String gate) {
        this.userId = userId;
        this.gate = gate;
        this.timestamp = System.currentTimeMillis();
    }

    public String getUserId() {
        return userId;
    }

    public String getGate() {
        return gate;
    }

    public long getTimestamp() {
        return timestamp;
    }

    @Override
    public String getShortDescription() {
        return "Rejected by " + userId + " at gate " + gate;
    }
}

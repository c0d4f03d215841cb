package io.jenkins.plugins.deployrollback.run;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one step call asks the engine to do, in plain values: the operation, and for a deploy the
 * artifact and the release to make of it; for a rollback or roll-forward which release to return to.
 */
public final class OperationRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the engine is asked to do. */
    public enum Kind {
        DEPLOY,
        ROLLBACK,
        ROLL_FORWARD,
        VERIFY
    }

    final Kind kind;
    final String actor;
    String reason;
    // deploy
    String artifacts;
    String release;
    String version;
    List<String> facts = new ArrayList<>();
    String sourceBuild;
    // rollback, roll-forward
    String toRelease;
    String toBuild;
    boolean force;
    // verify
    boolean rollbackOnFail;

    private OperationRequest(Kind kind, String actor) {
        this.kind = kind;
        this.actor = actor;
    }

    /** Deploy the artifact at {@code artifacts} (relative to the workspace) as release {@code release}. */
    public static OperationRequest deploy(
            String actor, String artifacts, String release, String version, List<String> facts, String sourceBuild) {
        OperationRequest request = new OperationRequest(Kind.DEPLOY, actor);
        request.artifacts = artifacts;
        request.release = release;
        request.version = version;
        request.facts = facts == null ? new ArrayList<>() : new ArrayList<>(facts);
        request.sourceBuild = sourceBuild;
        return request;
    }

    /**
     * Return to an earlier release ({@code kind} ROLLBACK) or a newer one (ROLL_FORWARD): {@code
     * toRelease} by id, else the release of build {@code toBuild} (an externalizable build id), else the
     * history's default.
     */
    public static OperationRequest returnTo(
            Kind kind, String actor, String toRelease, String toBuild, boolean force, String reason) {
        OperationRequest request = new OperationRequest(kind, actor);
        request.toRelease = toRelease;
        request.toBuild = toBuild;
        request.force = force;
        request.reason = reason;
        return request;
    }

    /** Evaluate the environment's gates against its live release, rolling back on FAIL if asked. */
    public static OperationRequest verify(String actor, boolean rollbackOnFail) {
        OperationRequest request = new OperationRequest(Kind.VERIFY, actor);
        request.rollbackOnFail = rollbackOnFail;
        return request;
    }

    /** This request with {@code reason} (recorded as the cause), or none. */
    public OperationRequest withReason(String reason) {
        this.reason = reason;
        return this;
    }

    public Kind kind() {
        return kind;
    }

    public String release() {
        return release;
    }

    public String artifacts() {
        return artifacts;
    }
}

package io.jenkins.plugins.deployrollback.engine.plan;

/** What a plan does on one target. */
public enum TargetAction {
    /** The release is already live there: no transfer, no switch. */
    ALREADY_LIVE,
    /** The release folder is present with the same content: switch {@code current} only, transfer nothing. */
    SWITCH,
    /** The release is new to the target: transfer, unpack, verify, then switch. */
    STAGE,
    /** The release was here once but its folder was pruned: stage it again from its kept artifacts, then switch. */
    REDEPLOY
}

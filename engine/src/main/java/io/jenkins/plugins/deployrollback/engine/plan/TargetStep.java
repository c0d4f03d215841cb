package io.jenkins.plugins.deployrollback.engine.plan;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;

/** The plan for one target: what is live there now and what the plan does there. */
public record TargetStep(String target, ReleaseId liveNow, TargetAction action) {}

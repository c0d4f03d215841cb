package io.jenkins.plugins.deployrollback.engine.plan;

import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;

/** A hook of the environment and whether this plan runs it ({@code migrate: skipped, runOn deploy}). */
public record PlannedHook(String hook, HookPhase phase, RunOn runOn, boolean runs) {
    public String describe() {
        return hook + " (" + phase.label() + ", runOn " + runOn.label() + "): " + (runs ? "runs" : "skipped");
    }
}

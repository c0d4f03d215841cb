/**
 * The flow of every operation, read top to bottom in {@link io.jenkins.plugins.deployrollback.engine.flow.DeploymentFlow}:
 * lock, plan, stage, hooks, switch, hooks, verify, roll back on failure, retain, record, unlock — each
 * step on all targets at once, and the environment moved all at once.
 */
package io.jenkins.plugins.deployrollback.engine.flow;

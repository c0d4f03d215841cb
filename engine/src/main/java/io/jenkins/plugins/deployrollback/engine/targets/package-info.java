/**
 * Targets: where releases are installed, all with the same layout ({@code releases/<id>/}, an atomic
 * {@code current} link, {@code shared/}, and {@code .deploy/} for the ledger, the lock and failed
 * releases). {@link io.jenkins.plugins.deployrollback.engine.targets.TargetSession} is what the flow
 * needs of a target; {@code local} is a folder on this machine.
 */
package io.jenkins.plugins.deployrollback.engine.targets;

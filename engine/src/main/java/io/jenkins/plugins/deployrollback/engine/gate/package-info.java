/**
 * Go/no-go decisions from real signals. A gate returns a {@link io.jenkins.plugins.deployrollback.engine.gate.GateVerdict}
 * that carries the measurements that decided it; the HTTP health check is the first gate.
 */
package io.jenkins.plugins.deployrollback.engine.gate;

package io.jenkins.plugins.deployrollback.engine.gate;

import java.io.IOException;

/** Where a canary check gets the values it compares: latencies of HTTP requests, or a Prometheus range. */
public interface SampleSource {
    /** {@code latency of GET http://…}, {@code prometheus: rate(…)[since the gate started]}. */
    String describe();

    /**
     * The values now. Empty when there are none.
     *
     * @throws IOException when the values could not be fetched (a measurement error)
     */
    double[] values(GateContext context) throws IOException, InterruptedException;

    /**
     * The values of one side of a canary check: {@code canary} true for the new release's. A source
     * that reads the targets of a rollout ({@code {host}}) reads that side's targets; others ignore it.
     */
    default double[] values(GateContext context, boolean canary) throws IOException, InterruptedException {
        return values(context);
    }

    /**
     * True when this source reads the targets of a rollout in steps by side, so it can only be
     * compared while some targets switched and others did not.
     */
    default boolean readsTargetSides() {
        return false;
    }
}

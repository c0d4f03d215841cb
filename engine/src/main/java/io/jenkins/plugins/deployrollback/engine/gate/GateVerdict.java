package io.jenkins.plugins.deployrollback.engine.gate;

import java.util.List;
import java.util.Objects;

/**
 * A gate's decision with its evidence: the verdict, one sentence saying why, and every measurement
 * taken. Recorded in history with the deployment it judged.
 */
public record GateVerdict(String gate, Verdict verdict, String reason, List<Measurement> measurements) {
    public GateVerdict {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        measurements = List.copyOf(measurements);
    }

    /** {@code health FAIL: 3 of 3 requests … }. */
    public String describe() {
        return gate + " " + verdict + ": " + reason;
    }
}

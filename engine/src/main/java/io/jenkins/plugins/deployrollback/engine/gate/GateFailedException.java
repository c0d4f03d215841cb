package io.jenkins.plugins.deployrollback.engine.gate;

/** A gate did not pass (FAIL, or INCONCLUSIVE where that is not accepted); carries its verdict. */
public class GateFailedException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    private final transient GateVerdict verdict;

    public GateFailedException(GateVerdict verdict) {
        super("Gate " + verdict.describe());
        this.verdict = verdict;
    }

    public GateVerdict verdict() {
        return verdict;
    }
}

package io.jenkins.plugins.deployrollback.engine.gate;

/** The outcome of a gate. */
public enum Verdict {
    /** The signals met every threshold. */
    PASS,
    /** A threshold was broken: the release is not good. */
    FAIL,
    /** Not enough evidence either way (no data, too few samples). Never treated as a pass by default. */
    INCONCLUSIVE
}

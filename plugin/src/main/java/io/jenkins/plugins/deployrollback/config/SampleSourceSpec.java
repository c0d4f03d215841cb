package io.jenkins.plugins.deployrollback.config;

import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusRangeSource;
import io.jenkins.plugins.deployrollback.engine.gate.SampleSource;
import java.io.Serializable;
import java.net.URI;
import java.util.function.Supplier;

/**
 * Where one side of a {@code canaryCheck} gets the values it compares: {@code httpLatency(…)} or
 * {@code prometheusRange(…)}.
 */
public abstract class SampleSourceSpec implements Describable<SampleSourceSpec>, Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The engine's source for one side of a canary check, which validates every value. A source's
     * defaults depend on the check it is part of: HTTP latencies send {@code minSamples} requests unless
     * told otherwise, and a Prometheus range covers {@code defaultPeriod} (since the gate started for the
     * canary, before it for the baseline).
     *
     * @param checkName the canary check's name, for messages
     * @param side {@code canary} or {@code baseline}, for messages
     */
    public abstract SampleSource toEngine(
            String checkName, String side, int minSamples, PrometheusRangeSource.Period defaultPeriod);

    /**
     * What {@code make} builds, with a refusal (the engine's or the spec's own) prefixed by the side and
     * the check it belongs to: both sides of a check take the same options, so a message that named
     * neither would leave the reader guessing which one is wrong.
     */
    static <T> T onSide(String checkName, String side, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Canary check " + checkName + ", " + side + " source: " + e.getMessage(), e);
        }
    }

    /** The URL as written, trimmed; null when none is given, so that the engine says it is missing. */
    static URI uri(String what, String written, String example) {
        if (written == null || written.isBlank()) {
            return null;
        }
        try {
            return URI.create(written.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " \"" + written.trim()
                    + "\" is not a valid URL: give an absolute http:// or https:// URL, such as " + example);
        }
    }

    /** The kinds of source, for the canary check's drop-down lists. */
    public abstract static class SampleSourceDescriptor extends Descriptor<SampleSourceSpec> {}
}

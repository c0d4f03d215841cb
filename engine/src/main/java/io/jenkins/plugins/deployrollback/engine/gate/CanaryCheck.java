package io.jenkins.plugins.deployrollback.engine.gate;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Compares a metric's values from the new release ({@code canary}) with the old one's
 * ({@code baseline}) with a Mann–Whitney U test, as Kayenta does. It fails when the canary is
 * significantly worse (at {@code confidence}) by more than {@code allowedEffect} (the relative
 * difference of the medians: 0.25 lets the canary be 25 % worse); it is inconclusive when either
 * side has fewer than {@code minSamples} values, never a pass.
 *
 * <p>The decision of one sample, with {@code α = 1 − confidence}:
 *
 * <ul>
 *   <li>Both sources are fetched; values that are not finite numbers (a {@code NaN} from a query that
 *       divides by zero) are dropped. A source that cannot be fetched makes the sample an
 *       {@link SampleResult#ERROR}; fewer than {@code minSamples} values on either side make it
 *       {@link SampleResult#INCONCLUSIVE}.
 *   <li>The test is the Mann–Whitney U test of canary against baseline: one-sided towards the bad
 *       direction for {@link Worse#HIGHER} (canary stochastically greater) and {@link Worse#LOWER}
 *       (canary stochastically less), two-sided for {@link Worse#EITHER}. The difference is
 *       significant when {@code p < α}.
 *   <li>The effect is {@code (median(canary) − median(baseline)) / |median(baseline)|}. When the
 *       baseline median is 0 a relative difference is undefined, so the effect is taken as +100 % or
 *       −100 % by the sign of the canary median (0 when both medians are 0): moving a metric off zero
 *       counts as a full change, which any {@code allowedEffect} below 1 refuses.
 *   <li>The effect in the bad direction is the effect for {@code HIGHER}, its negation for
 *       {@code LOWER}, and its absolute value for {@code EITHER}.
 *   <li>The sample FAILS when the difference is significant <em>and</em> the effect in the bad
 *       direction exceeds {@code allowedEffect}; otherwise it PASSES, also when the difference is
 *       significant but small (the summary says so).
 * </ul>
 *
 * @param worse which direction of change is bad (default {@link Worse#HIGHER})
 * @param confidence how sure the test must be that the canary differs, strictly between 0.5 and 1
 *     ({@link #DEFAULT_CONFIDENCE})
 * @param allowedEffect how much worse the canary's median may be, as a share of the baseline's, from
 *     0 to below 10 ({@link #DEFAULT_ALLOWED_EFFECT})
 * @param minSamples values needed on each side before the test is run, 3 to 100000
 *     ({@link #DEFAULT_MIN_SAMPLES})
 */
public record CanaryCheck(
        String name,
        SampleSource canary,
        SampleSource baseline,
        Worse worse,
        double confidence,
        double allowedEffect,
        int minSamples,
        boolean dryRun)
        implements Check {

    /** Which direction of change is bad. */
    public enum Worse {
        /** Higher values are worse (latency, error rate). */
        HIGHER,
        /** Lower values are worse (throughput, success rate). */
        LOWER,
        /** Any significant change is bad. */
        EITHER
    }

    /** Kayenta's judge: 98 % confidence. */
    public static final double DEFAULT_CONFIDENCE = 0.98;
    /** Kayenta's judge: 25 % tolerance. */
    public static final double DEFAULT_ALLOWED_EFFECT = 0.25;
    /** Spinnaker's guidance: at least 50 data points per metric. */
    public static final int DEFAULT_MIN_SAMPLES = 50;

    public CanaryCheck {
        Gate.requireName("Canary check", name);
        if (canary == null) {
            throw new IllegalArgumentException("Canary check " + name
                    + " has no canary source: give where the new release's values come from"
                    + " (HTTP latencies or a Prometheus range)");
        }
        if (baseline == null) {
            throw new IllegalArgumentException("Canary check " + name
                    + " has no baseline source: give where the old release's values come from"
                    + " (HTTP latencies or a Prometheus range)");
        }
        worse = worse == null ? Worse.HIGHER : worse;
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("Canary check " + name + " has confidence " + confidence
                    + ": use a probability above 0.5 and below 1, such as 0.98 for 98 %");
        }
        if (!(allowedEffect >= 0 && allowedEffect < 10)) {
            throw new IllegalArgumentException("Canary check " + name + " allows an effect of " + allowedEffect
                    + ": use a share of the baseline's median from 0 to below 10, such as 0.25"
                    + " to let the canary be 25 % worse");
        }
        if (minSamples < 3 || minSamples > 100_000) {
            throw new IllegalArgumentException(
                    "Canary check " + name + " needs " + minSamples + " values per side: use 3 to 100000, such as 50");
        }
    }

    /** A check that fails when the canary's values are significantly higher, with Kayenta's defaults. */
    public static CanaryCheck of(String name, SampleSource canary, SampleSource baseline) {
        return new CanaryCheck(
                name,
                canary,
                baseline,
                Worse.HIGHER,
                DEFAULT_CONFIDENCE,
                DEFAULT_ALLOWED_EFFECT,
                DEFAULT_MIN_SAMPLES,
                false);
    }

    @Override
    public String kind() {
        return "canary";
    }

    /**
     * True when a source reads the targets of a rollout by side ({@code {host}}): such a check can
     * only judge while some targets switched and others did not, so after the last step of a rollout
     * (or outside one) it is left out.
     */
    public boolean comparesTargets() {
        return canary.readsTargetSides() || baseline.readsTargetSides();
    }

    /** The values of one side, as fetched. */
    private record Side(String label, SampleSource source, double[] values, int dropped) {
        boolean enough(int minSamples) {
            return values.length >= minSamples;
        }
    }

    @Override
    public Sample measure(int sample, GateContext context) throws InterruptedException {
        Side canarySide;
        try {
            canarySide = fetch("canary", canary, context, true);
        } catch (IOException e) {
            return fetchFailed(sample, context, "canary", canary, e);
        }
        Side baselineSide;
        try {
            baselineSide = fetch("baseline", baseline, context, false);
        } catch (IOException e) {
            return fetchFailed(sample, context, "baseline", baseline, e);
        }
        Instant at = context.clock().instant();
        String unit = unit();
        Measurement canaryCount = count(sample, at, canarySide, unit);
        Measurement baselineCount = count(sample, at, baselineSide, unit);
        if (!canarySide.enough(minSamples) || !baselineSide.enough(minSamples)) {
            // Too little data says nothing either way: a pass here would let an unmeasured canary through.
            return new Sample(
                    SampleResult.INCONCLUSIVE,
                    "too few samples: canary " + canarySide.values.length + ", baseline " + baselineSide.values.length
                            + " (need " + minSamples + " each)",
                    List.of(
                            canaryCount,
                            baselineCount,
                            new Measurement(
                                    sample,
                                    at,
                                    testSubject(),
                                    "not run: too few samples",
                                    rule(),
                                    SampleResult.INCONCLUSIVE)));
        }
        return judge(sample, at, canarySide, baselineSide, canaryCount, baselineCount, unit);
    }

    private Sample judge(
            int sample,
            Instant at,
            Side canarySide,
            Side baselineSide,
            Measurement canaryCount,
            Measurement baselineCount,
            String unit) {
        double canaryMedian = median(canarySide.values);
        double baselineMedian = median(baselineSide.values);
        double effect = effect(canaryMedian, baselineMedian);
        double badEffect =
                switch (worse) {
                    case HIGHER -> effect;
                    case LOWER -> -effect;
                    case EITHER -> Math.abs(effect);
                };
        double p = MannWhitneyUTest.withDefaults()
                .with(alternative())
                .test(canarySide.values, baselineSide.values)
                .getPValue();
        if (Double.isNaN(p)) {
            // Only when every value on both sides is the same: nothing to rank, and no difference at all.
            p = 1;
        }
        double alpha = 1 - confidence;
        boolean significant = p < alpha;
        boolean tooLarge = badEffect > allowedEffect;
        boolean fails = significant && tooLarge;
        // A one-sided test only looks one way: "not significantly higher" says no more than it knows.
        String direction =
                switch (worse) {
                    case HIGHER -> "higher";
                    case LOWER -> "lower";
                    case EITHER -> "different";
                };
        String conclusion;
        if (fails) {
            conclusion = "worse";
        } else if (!significant) {
            conclusion = "not significantly " + direction;
        } else {
            conclusion = "significantly " + direction + " but within the allowed effect";
        }
        String summary = "canary median " + number(canaryMedian, unit) + " vs baseline "
                + number(baselineMedian, unit) + " (" + effectText(effect, baselineMedian, canaryMedian)
                + ", allowed " + allowedText() + "), Mann-Whitney p=" + pValue(p) + (significant ? " < " : " >= ")
                + Threshold.format(alpha) + " (confidence " + HttpCheck.percent(100 * confidence) + ", "
                + canarySide.values.length + " vs " + baselineSide.values.length + " values): " + conclusion;
        SampleResult result = fails ? SampleResult.FAIL : SampleResult.PASS;
        Measurement test = new Measurement(
                sample,
                at,
                testSubject(),
                "p=" + pValue(p) + ", effect " + effectText(effect, baselineMedian, canaryMedian),
                rule(),
                result);
        return new Sample(result, summary, List.of(canaryCount, baselineCount, test));
    }

    private AlternativeHypothesis alternative() {
        // The canary is the test's first sample: GREATER_THAN means "canary stochastically greater".
        return switch (worse) {
            case HIGHER -> AlternativeHypothesis.GREATER_THAN;
            case LOWER -> AlternativeHypothesis.LESS_THAN;
            case EITHER -> AlternativeHypothesis.TWO_SIDED;
        };
    }

    /** The relative difference of the medians; ±1 when only the baseline's is 0 (see the type's Javadoc). */
    static double effect(double canaryMedian, double baselineMedian) {
        if (baselineMedian == 0) {
            return Math.signum(canaryMedian);
        }
        return (canaryMedian - baselineMedian) / Math.abs(baselineMedian);
    }

    private static double median(double[] values) {
        return Median.withDefaults().evaluate(values);
    }

    /** Fetches one side, keeping only finite numbers: the test and the median cannot rank NaN. */
    private static Side fetch(String label, SampleSource source, GateContext context, boolean canarySide)
            throws IOException, InterruptedException {
        double[] values = source.values(context, canarySide);
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        return new Side(label, source, finite, values.length - finite.length);
    }

    private static Sample fetchFailed(
            int sample, GateContext context, String label, SampleSource source, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Sample(
                SampleResult.ERROR,
                "could not fetch the " + label + " values (" + source.describe() + "): " + reason,
                List.of(new Measurement(
                        sample,
                        context.clock().instant(),
                        label + ": " + source.describe(),
                        "error: " + reason,
                        "",
                        SampleResult.ERROR)));
    }

    private Measurement count(int sample, Instant at, Side side, String unit) {
        String observed = side.values.length + " values"
                + (side.values.length == 0 ? "" : ", median " + number(median(side.values), unit))
                + (side.dropped == 0 ? "" : " (" + side.dropped + " not numbers, dropped)");
        return new Measurement(
                sample,
                at,
                side.label + ": " + side.source.describe(),
                observed,
                ">= " + minSamples + " values",
                side.enough(minSamples) ? SampleResult.PASS : SampleResult.INCONCLUSIVE);
    }

    private String testSubject() {
        return "Mann-Whitney U test, canary vs baseline ("
                + switch (worse) {
                    case HIGHER -> "higher is worse";
                    case LOWER -> "lower is worse";
                    case EITHER -> "any change is worse";
                }
                + ")";
    }

    /** The rule as a threshold: {@code worse when p < 0.02 and effect > +25%}. */
    private String rule() {
        String bound =
                switch (worse) {
                    case HIGHER -> "effect > " + allowedText();
                    case LOWER -> "effect < " + allowedText();
                    case EITHER -> "|effect| > " + HttpCheck.percent(100 * allowedEffect);
                };
        return "worse when p < " + Threshold.format(1 - confidence) + " and " + bound;
    }

    private String allowedText() {
        String percent = HttpCheck.percent(100 * allowedEffect);
        return switch (worse) {
            case HIGHER -> "+" + percent;
            case LOWER -> "-" + percent;
            case EITHER -> "±" + percent;
        };
    }

    private static String effectText(double effect, double baselineMedian, double canaryMedian) {
        String text = (effect >= 0 ? "+" : "-") + HttpCheck.percent(100 * Math.abs(effect));
        return baselineMedian == 0 && canaryMedian != 0 ? text + " from a zero baseline" : text;
    }

    /** Milliseconds when both sides are HTTP latencies; other sources' units are unknown here. */
    private String unit() {
        return canary instanceof HttpLatencySource && baseline instanceof HttpLatencySource ? "ms" : "";
    }

    private static String number(double value, String unit) {
        return "ms".equals(unit) ? HttpCheck.millis(value) : Threshold.format(value);
    }

    /** Two significant digits: {@code 0.41}, {@code 0.0013}, {@code 3.2e-09}, {@code 1}. */
    static String pValue(double p) {
        String text = String.format(Locale.ROOT, "%.2g", p);
        return text.contains("e") ? text : text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}

package io.jenkins.plugins.deployrollback.engine.strategy;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of targets, given as a count ({@code 2}) or as a share of the environment ({@code 25%}).
 * A share is rounded up and is at least one target, so {@code 10%} of 5 targets is 1 target and a
 * step never switches nothing.
 */
public record TargetCount(int value, boolean percent) {
    private static final Pattern TEXT = Pattern.compile("\\s*(\\d{1,5})\\s*(%?)\\s*");

    public TargetCount {
        if (percent && (value < 1 || value > 100)) {
            throw new IllegalArgumentException(
                    "A share of targets of " + value + "% is invalid: use 1% to 100%, such as 25%");
        }
        if (!percent && (value < 1 || value > 10_000)) {
            throw new IllegalArgumentException(
                    "A count of " + value + " targets is invalid: use 1 to 10000, or a share such as 25%");
        }
    }

    /** {@code n} targets. */
    public static TargetCount count(int n) {
        return new TargetCount(n, false);
    }

    /** {@code share} percent of the targets. */
    public static TargetCount percent(int share) {
        return new TargetCount(share, true);
    }

    /** Reads {@code 2} or {@code 25%}. */
    public static TargetCount parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("Number of targets " + Text.quote(text)
                    + " is invalid: give a count such as 2, or a share such as 25%");
        }
        return new TargetCount(Integer.parseInt(m.group(1)), !m.group(2).isEmpty());
    }

    /** How many of {@code total} targets this is: at least 1, at most {@code total}. */
    public int of(int total) {
        int n = percent ? (int) Math.ceil(total * (value / 100.0)) : value;
        return Math.max(1, Math.min(total, n));
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }
}

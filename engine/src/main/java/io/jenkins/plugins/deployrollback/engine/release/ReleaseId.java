package io.jenkins.plugins.deployrollback.engine.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.regex.Pattern;

/**
 * The immutable id of a release ({@code 2026.11.23-42}, {@code r3}): a letter or digit, then up to
 * 127 letters, digits, '.', '_' or '-'. It names the release folder on every target, so it never
 * contains a path separator and never means "." or "..".
 */
public record ReleaseId(@JsonValue String value) implements Comparable<ReleaseId> {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public ReleaseId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "Release id " + Text.quote(value)
                            + " is invalid: use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 128)");
        }
    }

    @JsonCreator
    public static ReleaseId of(String value) {
        return new ReleaseId(value);
    }

    /** True when {@code value} is a valid release id. */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public int compareTo(ReleaseId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

package io.jenkins.plugins.deployrollback.engine.environment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.regex.Pattern;

/**
 * The name of an environment ({@code production}, {@code eu-west.staging}): a letter or digit, then
 * up to 63 letters, digits, '.', '_' or '-'. Safe as a folder name and in a URL.
 */
public record EnvironmentName(@JsonValue String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public EnvironmentName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "Environment name " + Text.quote(value)
                            + " is invalid: use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 64)");
        }
    }

    @JsonCreator
    public static EnvironmentName of(String value) {
        return new EnvironmentName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

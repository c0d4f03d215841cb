package io.jenkins.plugins.deployrollback.engine.support;

/** Renders user input inside error messages so that control characters and blanks stay visible. */
public final class Text {
    private Text() {}

    /** Quotes {@code value} and escapes control characters, so {@code "a\nb"} reads as such. */
    public static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** True when the text holds no control character (tab, newline, NUL, escape …). */
    public static boolean isPrintable(String value) {
        return value.chars().noneMatch(Character::isISOControl);
    }

    /** Checks a free-text label (a version, a build reference, a reason) and returns it. */
    public static String requireLabel(String what, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is empty: give a short label");
        }
        if (value.length() > maxLength || !isPrintable(value)) {
            throw new IllegalArgumentException(what + " " + quote(value) + " is invalid: use at most " + maxLength
                    + " characters and no control characters");
        }
        return value;
    }

    /** {@code 1 file}, {@code 3 files}: a count with its noun, plural by adding s. */
    public static String count(int count, String what) {
        return count + " " + what + (count == 1 ? "" : "s");
    }

    /** A byte count for people: {@code 4.1 KB}, {@code 100.0 MB}. */
    public static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A duration for people: {@code 850 ms}, {@code 2.4 s}, {@code 3 min 5 s}. */
    public static String duration(java.time.Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (millis < 3_600_000) {
            return (millis / 60_000) + " min " + (millis % 60_000) / 1000 + " s";
        }
        return (millis / 3_600_000) + " h " + (millis % 3_600_000) / 60_000 + " min";
    }
}

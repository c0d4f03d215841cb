package io.jenkins.plugins.deployrollback.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one summary, printed at the end of {@code mvn verify}, of the tests this build skipped because a
 * program they run is not installed, with the one {@code apt-get install} line that enables them all.
 * Run by the command line module's last build step: {@code SkippedTestsSummary <file> <build>}, the
 * file and build {@link SkippedTests} recorded them under. Prints nothing when nothing was skipped.
 */
public final class SkippedTestsSummary {
    private static final int LINE = 100;

    private SkippedTestsSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("Usage: SkippedTestsSummary <skipped-tests file> <build>");
        }
        Path file = Path.of(args[0]);
        if (!Files.exists(file)) {
            return;
        }
        List<SkippedTests.Skip> skips = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && line.startsWith(args[1] + "\t")) {
                skips.add(SkippedTests.Skip.parse(line));
            }
        }
        String summary = summary(skips);
        if (!summary.isEmpty()) {
            System.out.print(summary);
            System.out.flush();
        }
    }

    /** The summary of {@code skips}, or "" when there are none. */
    static String summary(List<SkippedTests.Skip> skips) {
        if (skips.isEmpty()) {
            return "";
        }
        // Tests skipped for the same missing programs go together, each class with its count.
        Map<List<SystemProgram>, Map<String, Integer>> byPrograms = new LinkedHashMap<>();
        Set<SystemProgram> missing = EnumSet.noneOf(SystemProgram.class);
        int total = 0;
        for (SkippedTests.Skip skip : skips) {
            byPrograms
                    .computeIfAbsent(skip.programs(), p -> new TreeMap<>())
                    .merge(skip.simpleClassName(), skip.tests(), Integer::sum);
            missing.addAll(skip.programs());
            total += skip.tests();
        }
        String rule = "-".repeat(72);
        StringBuilder out = new StringBuilder();
        out.append(rule).append('\n');
        out.append("SKIPPED: ")
                .append(total)
                .append(total == 1 ? " test needs" : " tests need")
                .append(" programs this machine does not have, so they did not run:\n");
        byPrograms.forEach((programs, classes) -> {
            int tests = classes.values().stream().mapToInt(Integer::intValue).sum();
            out.append("  ")
                    .append(tests)
                    .append(" need ")
                    .append(SystemProgram.describe(programs))
                    .append(':');
            // The classes, a few to a line, so that the summary reads on a terminal.
            int column = LINE;
            for (Map.Entry<String, Integer> test : classes.entrySet()) {
                String item = " " + test.getKey() + " (" + test.getValue() + ")";
                if (column + item.length() > LINE) {
                    out.append("\n     ");
                    column = 5;
                }
                out.append(item);
                column += item.length();
            }
            out.append('\n');
        });
        out.append("To run every test, install them (as root) and run the tests again:\n");
        out.append("  ")
                .append(SystemProgram.installLine(new ArrayList<>(missing)))
                .append('\n');
        out.append("With CI=true, a missing program fails the build instead of skipping.\n");
        out.append(rule).append('\n');
        return out.toString();
    }
}

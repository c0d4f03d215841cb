package io.jenkins.plugins.deployrollback.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.runner.Description;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Records every test skipped for a {@link MissingProgram}, one line each, in the file named by the
 * system property {@value #FILE} (the build's {@code target/skipped-tests.tsv}), tagged with the build
 * named by {@value #BUILD}, so that {@link SkippedTestsSummary} can list this build's skips once, at its
 * end. Surefire and Failsafe add it to every test run (the root POM's {@code listener} property).
 *
 * <p>A line: build, the missing programs (comma-separated), the test class, the test method (empty when
 * a whole class was skipped), the number of tests skipped.
 */
@RunListener.ThreadSafe
public final class SkippedTests extends RunListener {
    static final String FILE = "deployrollback.skippedTests";
    static final String BUILD = "deployrollback.build";

    @Override
    public void testAssumptionFailure(Failure failure) {
        if (!(failure.getException() instanceof MissingProgram missing)) {
            return;
        }
        String file = System.getProperty(FILE);
        String build = System.getProperty(BUILD);
        if (file == null || file.isBlank() || build == null || build.isBlank()) {
            return; // run outside Maven (an IDE): the test's own message says why it was skipped
        }
        Description test = failure.getDescription();
        String line = String.join(
                        "\t",
                        build,
                        missing.programs().stream().map(SystemProgram::name).collect(Collectors.joining(",")),
                        String.valueOf(test.getClassName()),
                        test.getMethodName() == null ? "" : test.getMethodName(),
                        String.valueOf(Math.max(1, test.testCount())))
                + "\n";
        append(Path.of(file), line);
    }

    private static synchronized void append(Path file, String line) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(
                    file,
                    line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record a skipped test in " + file, e);
        }
    }

    /** One line of the file, read back. */
    record Skip(String build, List<SystemProgram> programs, String testClass, String method, int tests) {
        static Skip parse(String line) {
            String[] fields = line.split("\t", -1);
            if (fields.length != 5) {
                throw new IllegalArgumentException("Not a skipped-test line: " + line);
            }
            List<SystemProgram> programs = java.util.Arrays.stream(fields[1].split(","))
                    .map(SystemProgram::valueOf)
                    .toList();
            return new Skip(fields[0], programs, fields[2], fields[3], Integer.parseInt(fields[4]));
        }

        String simpleClassName() {
            return testClass.substring(testClass.lastIndexOf('.') + 1);
        }
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.JUnitCore;
import org.junit.runner.Request;
import org.junit.runner.Result;

public class SystemProgramTest {
    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void aMissingProgramSkipsTheTestNamingItsPackageAndTheInstallLine() {
        assertThatThrownBy(() -> SystemProgram.check(List.of(SystemProgram.SSHD, SystemProgram.SFTP_SERVER), false))
                .isInstanceOf(MissingProgram.class)
                .hasMessageContaining("needs sshd and sftp-server (openssh-server), not installed here")
                .hasMessageContaining("apt-get install openssh-server enables it");
    }

    @Test
    public void underCiAMissingProgramFailsTheTestInsteadOfSkippingIt() {
        assertThatThrownBy(() -> SystemProgram.check(List.of(SystemProgram.PROMETHEUS), true))
                .isInstanceOf(AssertionError.class)
                .isNotInstanceOf(MissingProgram.class)
                .hasMessage("This test needs prometheus (prometheus), not installed here, and CI=true runs every test:"
                        + " apt-get install prometheus");
    }

    @Test
    public void nothingMissingIsNoSkip() {
        assertThatCode(() -> SystemProgram.check(List.of(), false)).doesNotThrowAnyException();
        assertThatCode(() -> SystemProgram.check(List.of(), true)).doesNotThrowAnyException();
    }

    @Test
    public void eachSkipIsRecordedWithItsTestAndAWholeClassCountsEachOfItsTests() throws Exception {
        Path file = temp.getRoot().toPath().resolve("target/skipped-tests.tsv");

        Result result = runRecording(file, "build-1", NeedsPrometheusInOneTest.class, NeedsNginxInTheWholeClass.class);
        runRecording(file, "build-0", NeedsPrometheusInOneTest.class);

        assertThat(result.getFailureCount()).isZero();
        assertThat(result.getAssumptionFailureCount()).isEqualTo(2);
        assertThat(Files.readAllLines(file))
                .contains(
                        "build-1\tPROMETHEUS\t" + NeedsPrometheusInOneTest.class.getName() + "\tqueries\t1",
                        "build-1\tNGINX,CURL\t" + NeedsNginxInTheWholeClass.class.getName() + "\t\t3");
        // The summary is this build's only: the other build's line is not counted.
        List<SkippedTests.Skip> skips = Files.readAllLines(file).stream()
                .map(SkippedTests.Skip::parse)
                .filter(s -> s.build().equals("build-1"))
                .toList();
        assertThat(SkippedTestsSummary.summary(skips))
                .contains("SKIPPED: 4 tests need programs this machine does not have")
                .contains("  1 need prometheus (prometheus):\n      SystemProgramTest$NeedsPrometheusInOneTest (1)")
                .contains("  3 need nginx (nginx-light), curl (curl):\n"
                        + "      SystemProgramTest$NeedsNginxInTheWholeClass (3)")
                .contains("\n  apt-get install prometheus nginx-light curl\n");
    }

    @Test
    public void theSummaryGivesOneInstallLineForEveryPackageInTheOrderOfThePrograms() {
        List<SkippedTests.Skip> skips = List.of(
                new SkippedTests.Skip("b", List.of(SystemProgram.CURL), "a.BIT", "x", 1),
                new SkippedTests.Skip("b", List.of(SystemProgram.SSHD, SystemProgram.SSH), "a.AIT", "", 5),
                new SkippedTests.Skip("b", List.of(SystemProgram.SSHD, SystemProgram.SSH), "a.CIT", "y", 1));

        String summary = SkippedTestsSummary.summary(skips);

        assertThat(summary)
                .contains("SKIPPED: 7 tests need")
                .contains("  6 need sshd (openssh-server), ssh (openssh-client):\n      AIT (5) CIT (1)\n")
                .contains("\n  apt-get install openssh-server openssh-client curl\n")
                .contains("With CI=true, a missing program fails the build instead of skipping.");
    }

    @Test
    public void nothingSkippedPrintsNothing() {
        assertThat(SkippedTestsSummary.summary(List.of())).isEmpty();
    }

    private static Result runRecording(Path file, String build, Class<?>... classes) {
        String oldFile = System.getProperty(SkippedTests.FILE);
        String oldBuild = System.getProperty(SkippedTests.BUILD);
        System.setProperty(SkippedTests.FILE, file.toString());
        System.setProperty(SkippedTests.BUILD, build);
        try {
            JUnitCore junit = new JUnitCore();
            junit.addListener(new SkippedTests());
            return junit.run(Request.classes(classes));
        } finally {
            restore(SkippedTests.FILE, oldFile);
            restore(SkippedTests.BUILD, oldBuild);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    /** Run by the test above, not by the build (a nested class): one test skipped for Prometheus. */
    public static class NeedsPrometheusInOneTest {
        @Test
        public void queries() {
            SystemProgram.check(List.of(SystemProgram.PROMETHEUS), false);
        }

        @Test
        public void runs() {}
    }

    /** Run by the test above, not by the build: a whole class skipped for nginx and curl. */
    public static class NeedsNginxInTheWholeClass {
        @BeforeClass
        public static void nginx() {
            SystemProgram.check(List.of(SystemProgram.NGINX, SystemProgram.CURL), false);
        }

        @Test
        public void one() {}

        @Test
        public void two() {}

        @Test
        public void three() {}
    }
}

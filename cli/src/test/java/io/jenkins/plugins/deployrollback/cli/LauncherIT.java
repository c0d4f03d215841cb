package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The {@code deploy-rollback} launcher the build puts next to the jar: it runs the commands, starts
 * the JVM with the class data sharing archive built with the jar (the classes a command needs come
 * from it), and without that archive, or without the jar, says what is wrong.
 */
public class LauncherIT {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path dir;
    private Path launcher;

    @Before
    public void configurationOfOneFolderTarget() throws IOException {
        dir = temp.getRoot().toPath();
        launcher = CliProcess.jar().toAbsolutePath().resolveSibling("deploy-rollback");
        assertThat(launcher).as("built by mvn package next to the jar").isExecutable();
        Files.writeString(dir.resolve("deploy-rollback.yaml"), """
                state: state
                environments:
                  staging:
                    targets:
                      - name: local
                        path: target
                """);
        for (String release : List.of("r1", "r2")) {
            Path folder = Files.createDirectories(dir.resolve("artifacts").resolve(release));
            Files.writeString(folder.resolve("index.html"), "release " + release + "\n");
        }
    }

    @Test
    public void itDeploysAndRollsBackWithTheEngineClassesTakenFromTheArchive() throws Exception {
        assertThat(CliProcess.jar().toAbsolutePath().resolveSibling("deploy-rollback.jsa"))
                .as("the class data sharing archive built with the jar")
                .isRegularFile();
        assertThat(run(launcher, Map.of(), "deploy", "staging", "--release", "r1", "--artifact", "artifacts/r1").exit)
                .isZero();
        assertThat(run(launcher, Map.of(), "deploy", "staging", "--release", "r2", "--artifact", "artifacts/r2").exit)
                .isZero();

        Result rollback = run(
                launcher,
                Map.of("DEPLOY_ROLLBACK_JAVA_OPTS", "-Xlog:class+load=info:file=" + dir.resolve("classes.log")),
                "rollback",
                "staging");

        assertThat(rollback.exit).as(rollback.output).isZero();
        assertThat(rollback.output).contains("SUCCEEDED: staging now serves r1 (was r2).");
        assertThat(Files.readSymbolicLink(dir.resolve("target/current")).toString())
                .endsWith("r1");
        List<String> loaded = Files.readAllLines(dir.resolve("classes.log"));
        assertThat(loaded)
                .as("where the engine's classes came from")
                .anyMatch(line -> line.contains("io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine ")
                        && line.contains("source: shared objects file"));
    }

    @Test
    public void withoutTheArchiveItStillRunsAndWithoutTheJarItSaysWhatToBuild() throws Exception {
        Path alone = Files.createDirectories(dir.resolve("alone"));
        Path copy = alone.resolve("deploy-rollback");
        Files.copy(launcher, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        assertThat(copy).isExecutable();

        Result missingJar = run(copy, Map.of(), "--version");

        assertThat(missingJar.exit).isEqualTo(10);
        assertThat(missingJar.output)
                .isEqualTo("deploy-rollback: " + alone.toRealPath().resolve("deploy-rollback.jar")
                        + " is missing: build it with mvn package (see docs/cli.md)\n");

        Files.copy(CliProcess.jar(), alone.resolve("deploy-rollback.jar"));
        Result noArchive = run(copy, Map.of(), "--version");

        assertThat(noArchive.exit).as(noArchive.output).isZero();
        assertThat(noArchive.output).startsWith("deploy-rollback ");
    }

    @Test
    public void onlyTheDeployCommandGetsTheSecondJitCompilerWhateverTheOtherArgumentsSay() throws Exception {
        Map<String, String> printFlags = Map.of("DEPLOY_ROLLBACK_JAVA_OPTS", "-XX:+PrintFlagsFinal");

        assertThat(tieredStopAtLevel(run(launcher, printFlags, "deploy", "--help")))
                .isEqualTo("4");
        // An environment or release that happens to be called "deploy" does not make a deploy.
        assertThat(tieredStopAtLevel(run(launcher, printFlags, "status", "deploy", "--help")))
                .isEqualTo("1");
        assertThat(tieredStopAtLevel(run(launcher, printFlags, "rollback", "--help")))
                .isEqualTo("1");
    }

    /** The value of TieredStopAtLevel in the flags a JVM printed at its start. */
    private static String tieredStopAtLevel(Result result) {
        return result.output()
                .lines()
                .filter(line -> line.matches("\\s*intx TieredStopAtLevel\\s+=.*"))
                .map(line -> line.replaceAll(".*=\\s*(\\d+).*", "$1"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TieredStopAtLevel in:\n" + result.output()));
    }

    private record Result(int exit, String output) {}

    /** Runs {@code launcher args} in the test's folder with {@code environment} added; waits for it. */
    private Result run(Path launcher, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        if (args.length > 1) {
            command.addAll(List.of("--by", "tester"));
        }
        Path output = Files.createTempFile(dir, "launcher-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("finished").isTrue();
        return new Result(process.exitValue(), Files.readString(output));
    }
}

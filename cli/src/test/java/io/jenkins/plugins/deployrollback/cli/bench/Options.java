package io.jenkins.plugins.deployrollback.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the command line's benchmark measures, from system properties; a blank value means the default.
 *
 * @param rollbackHosts host counts of the rollbacks ({@code bench.hosts}, default 1,5,20)
 * @param deployHosts host counts of the deploys ({@code bench.deployHosts}, default 5,20)
 * @param deploySizes release sizes of the deploys in MiB ({@code bench.deploySizes}, default 50,100)
 * @param rounds measured rounds of each ({@code bench.rounds}, default 3)
 * @param out where the report goes ({@code bench.out}, default target/cli-benchmark)
 * @param keep leave the hosts running and their folders in place, for a run by hand ({@code bench.keep})
 */
record Options(
        List<Integer> rollbackHosts,
        List<Integer> deployHosts,
        List<Integer> deploySizes,
        int rounds,
        Path out,
        boolean keep) {
    static Options fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(property("bench.quick", "false"));
        return new Options(
                numbers("bench.hosts", quick ? "1,5" : "1,5,20"),
                numbers("bench.deployHosts", quick ? "5" : "5,20"),
                numbers("bench.deploySizes", quick ? "10" : "50,100"),
                Integer.parseInt(property("bench.rounds", quick ? "1" : "3")),
                Path.of(property("bench.out", "target/cli-benchmark")),
                Boolean.parseBoolean(property("bench.keep", "false")));
    }

    /** The shaded jar users run, built by {@code mvn package}. */
    static Path jar() {
        Path jar = Path.of(property("bench.jar", "target/deploy-rollback.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the benchmark runs after 'mvn package'");
        }
        return jar.toAbsolutePath();
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static List<Integer> numbers(String name, String fallback) {
        return Arrays.stream(property(name, fallback).split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
    }
}

package io.jenkins.plugins.deployrollback.engine.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What to measure, from system properties ({@code -Dbench.rounds=7}); a blank value means the default.
 *
 * @param hostCounts the numbers of hosts rollbacks are measured on ({@code bench.hosts}, default 1,5,20)
 * @param rollbackSizes release sizes in MiB for rollbacks ({@code bench.sizes}, default 1,100)
 * @param deployHostCounts the numbers of hosts deploys are measured on ({@code bench.deployHosts}, default 1,5)
 * @param deploySizes release sizes in MiB for deploys ({@code bench.deploySizes}, default 100)
 * @param rounds measured rounds of each rollback and roll-forward ({@code bench.rounds}, default 5)
 * @param deployRounds measured rounds of each deploy ({@code bench.deployRounds}, default 3)
 * @param out where the report goes ({@code bench.out}, default target/benchmark)
 * @param keep keep the hosts' folders afterwards, for a look ({@code bench.keep}, default false)
 * @param svgPlot draw the plot as SVG even when gnuplot is installed ({@code bench.plot=svg})
 * @param quick a smoke run ({@code bench.quick=true}): 1 and 5 hosts, 1 MiB, 2 rounds, unless given
 */
record BenchOptions(
        List<Integer> hostCounts,
        List<Integer> rollbackSizes,
        List<Integer> deployHostCounts,
        List<Integer> deploySizes,
        int rounds,
        int deployRounds,
        Path out,
        boolean keep,
        boolean svgPlot,
        boolean quick) {

    BenchOptions {
        hostCounts = List.copyOf(hostCounts);
        rollbackSizes = List.copyOf(rollbackSizes);
        deployHostCounts = List.copyOf(deployHostCounts);
        deploySizes = List.copyOf(deploySizes);
        if (rounds < 1 || deployRounds < 1) {
            throw new IllegalArgumentException(
                    "bench.rounds and bench.deployRounds must be 1 or more, not " + rounds + " and " + deployRounds);
        }
    }

    static BenchOptions fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(property("bench.quick", "false"));
        return new BenchOptions(
                numbers("bench.hosts", quick ? "1,5" : "1,5,20"),
                numbers("bench.sizes", quick ? "1" : "1,100"),
                numbers("bench.deployHosts", "1,5"),
                numbers("bench.deploySizes", quick ? "1" : "100"),
                Integer.parseInt(property("bench.rounds", quick ? "2" : "5")),
                Integer.parseInt(property("bench.deployRounds", quick ? "2" : "3")),
                Path.of(property("bench.out", "target/benchmark")),
                Boolean.parseBoolean(property("bench.keep", "false")),
                "svg".equalsIgnoreCase(property("bench.plot", "png")),
                quick);
    }

    /** The most hosts any measurement uses: that many sshd servers are started. */
    int maxHosts() {
        return Math.max(
                hostCounts.stream().mapToInt(Integer::intValue).max().orElse(1),
                deployHostCounts.stream().mapToInt(Integer::intValue).max().orElse(1));
    }

    String describe() {
        return "hosts " + hostCounts + ", rollback sizes " + rollbackSizes + " MiB, deploy hosts " + deployHostCounts
                + ", deploy sizes " + deploySizes + " MiB, " + rounds + " rollback rounds, " + deployRounds
                + " deploy rounds" + (quick ? " (quick)" : "");
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static List<Integer> numbers(String name, String fallback) {
        String text = property(name, fallback);
        try {
            List<Integer> values = Arrays.stream(text.split(","))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .toList();
            if (values.stream().anyMatch(v -> v < 1)) {
                throw new NumberFormatException();
            }
            return values;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + "=" + text + " is invalid: give positive whole numbers separated by commas, such as 1,5,20");
        }
    }
}

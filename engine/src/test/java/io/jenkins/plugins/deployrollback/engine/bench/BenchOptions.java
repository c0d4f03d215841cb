package io.jenkins.plugins.deployrollback.engine.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What to measure, from system properties ({@code -Dbench.rounds=7}); a blank value means the default.
 *
 * @param hostCounts the numbers of hosts rollbacks are measured on ({@code bench.hosts}, default 1,5,20)
 * @param rollbackSizes release sizes in MiB for rollbacks ({@code bench.sizes}, default 1,100)
 * @param deployHostCounts the numbers of hosts deploys are measured on ({@code bench.deployHosts}, default 1,5)
 * @param deploySizes release sizes in MiB for deploys ({@code bench.deploySizes}, default 100)
 * @param blueGreenHosts the numbers of hosts blue/green switch-backs are measured on ({@code
 *     bench.blueGreenHosts}, default 20)
 * @param rollingHosts the hosts rolling deploys are measured on ({@code bench.rollingHosts}, default 20)
 * @param batches the batch sizes of the rolling deploys ({@code bench.batches}, default 1,2,5,10,20: those
 *     up to {@code rollingHosts}, and {@code rollingHosts} itself)
 * @param rounds measured rounds of each rollback and roll-forward, blue/green switch-back and forward, and
 *     rolling deploy of a small release ({@code bench.rounds}, default 5)
 * @param deployRounds measured rounds of each deploy ({@code bench.deployRounds}, default 3)
 * @param out where the report goes ({@code bench.out}, default target/benchmark)
 * @param keep keep the hosts' folders afterwards, for a look ({@code bench.keep}, default false)
 * @param svgPlot draw the plot as SVG even when gnuplot is installed ({@code bench.plot=svg})
 * @param quick a smoke run ({@code bench.quick=true}): 1 and 5 hosts, 1 MiB, 2 rounds, blue/green and
 *     rolling on 5 hosts (batches 1, 2, 5), unless given
 */
record BenchOptions(
        List<Integer> hostCounts,
        List<Integer> rollbackSizes,
        List<Integer> deployHostCounts,
        List<Integer> deploySizes,
        List<Integer> blueGreenHosts,
        int rollingHosts,
        List<Integer> batches,
        int rounds,
        int deployRounds,
        Path out,
        boolean keep,
        boolean svgPlot,
        boolean quick) {

    /** The release size of the measurements that transfer little or nothing: blue/green and rolling, in MiB. */
    static final int SMALL_MIB = 1;

    BenchOptions {
        hostCounts = List.copyOf(hostCounts);
        rollbackSizes = List.copyOf(rollbackSizes);
        deployHostCounts = List.copyOf(deployHostCounts);
        deploySizes = List.copyOf(deploySizes);
        blueGreenHosts = List.copyOf(blueGreenHosts);
        batches = List.copyOf(batches);
        if (rollingHosts < 1) {
            throw new IllegalArgumentException("bench.rollingHosts must be 1 or more, not " + rollingHosts);
        }
        for (int batch : batches) {
            if (batch > rollingHosts) {
                throw new IllegalArgumentException("bench.batches has a batch of " + batch + " targets, more than the "
                        + rollingHosts + " of bench.rollingHosts: give batches up to " + rollingHosts);
            }
        }
        if (rounds < 1 || deployRounds < 1) {
            throw new IllegalArgumentException(
                    "bench.rounds and bench.deployRounds must be 1 or more, not " + rounds + " and " + deployRounds);
        }
    }

    static BenchOptions fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(property("bench.quick", "false"));
        List<Integer> rolling = numbers("bench.rollingHosts", quick ? "5" : "20");
        if (rolling.size() != 1) {
            throw new IllegalArgumentException(
                    "bench.rollingHosts=" + rolling + " is invalid: give one number of hosts");
        }
        int rollingHosts = rolling.get(0);
        return new BenchOptions(
                numbers("bench.hosts", quick ? "1,5" : "1,5,20"),
                numbers("bench.sizes", quick ? "1" : "1,100"),
                numbers("bench.deployHosts", "1,5"),
                numbers("bench.deploySizes", quick ? "1" : "100"),
                numbers("bench.blueGreenHosts", quick ? "5" : "20"),
                rollingHosts,
                numbers("bench.batches", defaultBatches(rollingHosts)),
                Integer.parseInt(property("bench.rounds", quick ? "2" : "5")),
                Integer.parseInt(property("bench.deployRounds", quick ? "2" : "3")),
                Path.of(property("bench.out", "target/benchmark")),
                Boolean.parseBoolean(property("bench.keep", "false")),
                "svg".equalsIgnoreCase(property("bench.plot", "png")),
                quick);
    }

    /** 1, 2, 5, 10, 20 as far as {@code hosts}, ending with {@code hosts} (all at once in one batch). */
    private static String defaultBatches(int hosts) {
        List<Integer> batches = new ArrayList<>();
        for (int batch : List.of(1, 2, 5, 10, 20)) {
            if (batch < hosts) {
                batches.add(batch);
            }
        }
        batches.add(hosts);
        return String.join(",", batches.stream().map(String::valueOf).toList());
    }

    /** The most hosts any measurement uses: that many sshd servers are started. */
    int maxHosts() {
        return Stream.of(hostCounts, deployHostCounts, blueGreenHosts, List.of(rollingHosts))
                .flatMap(List::stream)
                .mapToInt(Integer::intValue)
                .max()
                .orElse(1);
    }

    String describe() {
        return "hosts " + hostCounts + ", rollback sizes " + rollbackSizes + " MiB, deploy hosts " + deployHostCounts
                + ", deploy sizes " + deploySizes + " MiB, blue/green hosts " + blueGreenHosts + ", rolling on "
                + rollingHosts + " hosts in batches of " + batches + ", " + rounds + " rollback rounds, "
                + deployRounds + " deploy rounds" + (quick ? " (quick)" : "");
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

package io.jenkins.plugins.deployrollback.engine.bench;

import io.jenkins.plugins.deployrollback.engine.testing.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The benchmark's results: a Markdown report (tables with each ratio to its floor and whether the target
 * was met), the raw samples as CSV, the plot's data, and the plot itself (gnuplot's PNG when gnuplot is
 * installed, else an SVG drawn here).
 */
final class Report {
    static final String PLOT_PNG = "rollback-vs-hosts.png";
    static final String PLOT_SVG = "rollback-vs-hosts.svg";

    private final BenchOptions options;
    private final MachineInfo before;
    private final MachineInfo after;
    private final List<RollbackLatency> rollbacks;
    private final List<DeployThroughput> deploys;
    private final Anatomy anatomy;
    private String plot = "(no plot yet)";

    Report(
            BenchOptions options,
            MachineInfo before,
            MachineInfo after,
            List<RollbackLatency> rollbacks,
            List<DeployThroughput> deploys,
            Anatomy anatomy) {
        this.options = options;
        this.anatomy = anatomy;
        this.before = before;
        this.after = after;
        this.rollbacks = List.copyOf(rollbacks);
        this.deploys = List.copyOf(deploys);
    }

    /** Writes results.md, samples.csv, rollback.dat and the plot into {@code folder}. */
    void write(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("samples.csv"), csv());
        Files.writeString(folder.resolve("rollback.dat"), plotData());
        plot = plot(folder);
        Files.writeString(folder.resolve("results.md"), markdown());
    }

    // ---- Markdown ------------------------------------------------------------------------------

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Deploy Rollback benchmark results\n\n");
        md.append("Run ")
                .append(before.at())
                .append(" with ")
                .append(options.describe())
                .append(".\n\n");
        md.append("Machine: ")
                .append(before.describe().replaceAll(", load average.*", ""))
                .append(".\n");
        md.append(String.format(
                Locale.ROOT,
                "Load average (1 min): %.2f at the start, %.2f at the end.%n%n",
                before.loadAverage(),
                after.loadAverage()));
        if (!rollbacks.isEmpty()) {
            rollbackTable(md);
        }
        if (!deploys.isEmpty()) {
            deployTable(md);
            redeployTable(md);
        }
        md.append("## Where the time goes\n\n");
        md.append("Medians over the rounds, in seconds. By stage: from the progress listener's stage")
                .append(" announcements. By call: each kind of call on the targets, added up over the hosts")
                .append(" (with the number of calls per operation); with targets worked on one at a time,")
                .append(" the calls and the rest add up to the whole.\n\n");
        if (!rollbacks.isEmpty()) {
            breakdown(md, "Rollback (switch only)", rollbacks, r -> label(r.hosts(), r.sizeMib()), r -> r.rollback());
        }
        if (!deploys.isEmpty()) {
            breakdown(md, "First deploy of a new release", deploys, d -> label(d.hosts, d.sizeMib), d -> d.deploy);
            breakdown(
                    md,
                    "Redeploy of a release staged but not live",
                    deploys,
                    d -> label(d.hosts, d.sizeMib),
                    d -> d.redeployStaged);
            breakdown(
                    md,
                    "Redeploy of the live release (nothing to do)",
                    deploys,
                    d -> label(d.hosts, d.sizeMib),
                    d -> d.redeployLive);
        }
        if (!anatomy.parts().isEmpty()) {
            md.append("### The parts, each timed alone on one host\n\n");
            md.append("| Part | Median s | Min s |\n|:---|---:|---:|\n");
            anatomy.parts()
                    .forEach((part, samples) -> md.append(row(part, format(samples.median()), format(samples.min()))));
            md.append('\n');
        }
        md.append("Raw samples: samples.csv. Plot: ").append(plot).append(".\n");
        return md.toString();
    }

    private void rollbackTable(StringBuilder md) {
        md.append("## Rollback latency\n\n");
        md.append("Floor: one OpenSSH `ssh` per host, all in parallel, each running")
                .append(" `cd ROOT && ln -s releases/rX .current-tmp && mv -T .current-tmp current`.")
                .append(" Ours: `DeploymentEngine.rollback` to the previous release (still on the hosts: switch")
                .append(" only) and `rollForward` back. Median (min) of ")
                .append(options.rounds())
                .append(" rounds; the floor's median is over both directions. Target: ≤ ")
                .append(RollbackLatency.TARGET)
                .append("× the floor.\n\n");
        md.append(
                "| Hosts | Release | Floor (ssh) | Rollback | Ratio | Roll-forward | Ratio | Target ≤ 1.5× | Load |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|:---|---:|\n");
        for (RollbackLatency r : rollbacks) {
            md.append(row(
                    Integer.toString(r.hosts()),
                    r.sizeMib() + " MiB",
                    seconds(r.floor()),
                    seconds(r.rollback().wall()),
                    ratio(r.ratio()),
                    seconds(r.rollForward().wall()),
                    ratio(r.rollForwardRatio()),
                    r.ratio() <= RollbackLatency.TARGET ? "met" : "**missed**",
                    String.format(Locale.ROOT, "%.1f", r.load())));
        }
        md.append('\n');
        List<Integer> sizes = rollbacks.stream()
                .map(RollbackLatency::sizeMib)
                .distinct()
                .sorted()
                .toList();
        if (sizes.size() > 1) {
            int small = sizes.get(0);
            int large = sizes.get(sizes.size() - 1);
            md.append("Same time whatever the size (rollback ")
                    .append(large)
                    .append(" MiB over ")
                    .append(small)
                    .append(" MiB, medians):");
            for (RollbackLatency r : rollbacks) {
                if (r.sizeMib() != large) {
                    continue;
                }
                rollbacks.stream()
                        .filter(s -> s.sizeMib() == small && s.hosts() == r.hosts())
                        .findFirst()
                        .ifPresent(s -> md.append(' ')
                                .append(r.hosts())
                                .append(r.hosts() == 1 ? " host " : " hosts ")
                                .append(ratio(r.rollback().wall().median()
                                        / s.rollback().wall().median()))
                                .append(';'));
            }
            md.setLength(md.length() - 1);
            md.append(".\n\n");
        }
    }

    private void deployTable(StringBuilder md) {
        md.append("## Deploy throughput\n\n");
        md.append("A new release each round (one file of random bytes). Floor: OpenSSH `scp` of the same file")
                .append(" to every host, all in parallel. Throughput: bytes delivered to all hosts per second,")
                .append(" at the median of ")
                .append(options.deployRounds())
                .append(" rounds; ratio: ours over scp's. \"deploy\" is `DeploymentEngine.deploy` alone;")
                .append(" \"read + deploy\" adds reading the release (every file's SHA-256), which a front end")
                .append(" does before it calls deploy. Target: ≥ ")
                .append(DeployThroughput.TARGET)
                .append("× scp.\n\n");
        md.append("| Hosts | Release | scp | scp MiB/s | deploy | MiB/s | Ratio | read + deploy | MiB/s | Ratio |"
                + " Target ≥ 0.8× | Load |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|---:|\n");
        for (DeployThroughput d : deploys) {
            md.append(row(
                    Integer.toString(d.hosts),
                    d.sizeMib + " MiB",
                    seconds(d.scp),
                    rate(d.mibPerSecond(d.scp.median())),
                    seconds(d.deploy.wall()),
                    rate(d.mibPerSecond(d.deploy.wall().median())),
                    ratio(d.ratio()),
                    seconds(d.readAndDeploy),
                    rate(d.mibPerSecond(d.readAndDeploy.median())),
                    ratio(d.ratioWithRead()),
                    (d.ratio() >= DeployThroughput.TARGET ? "met" : "**missed**")
                            + (d.ratioWithRead() >= DeployThroughput.TARGET
                                    ? "; with read: met"
                                    : "; with read: **missed**"),
                    String.format(Locale.ROOT, "%.1f", d.load)));
        }
        md.append('\n');
    }

    private void redeployTable(StringBuilder md) {
        md.append("## Redeploying a release already staged\n\n");
        md.append("The same release deployed again: after a rollback (its folder still on every host: switch")
                .append(" only), and while it is live (nothing to do). Share: its time over the first deploy's.")
                .append(" Target: ≤ 5 %.\n\n");
        md.append(
                "| Hosts | Release | First deploy | Redeploy, staged | Share | Target ≤ 5 % | Redeploy, live | Share |\n");
        md.append("|---:|---:|---:|---:|---:|:---|---:|---:|\n");
        for (DeployThroughput d : deploys) {
            md.append(row(
                    Integer.toString(d.hosts),
                    d.sizeMib + " MiB",
                    seconds(d.deploy.wall()),
                    seconds(d.redeployStaged.wall()),
                    percent(d.redeployStagedShare()),
                    d.redeployStagedShare() <= DeployThroughput.REDEPLOY_TARGET ? "met" : "**missed**",
                    seconds(d.redeployLive.wall()),
                    percent(d.redeployLiveShare())));
        }
        md.append('\n');
    }

    private static <T> void breakdown(
            StringBuilder md, String title, List<T> results, Function<T, String> label, Function<T, Breakdown> of) {
        md.append("### ").append(title).append("\n\n");
        StringBuilder header = new StringBuilder("| |");
        StringBuilder rule = new StringBuilder("|:---|");
        for (T result : results) {
            header.append(' ').append(label.apply(result)).append(" |");
            rule.append("---:|");
        }
        md.append(header).append('\n').append(rule).append('\n');
        md.append(cells(
                "**whole operation**", results, r -> format(of.apply(r).wall().median())));
        Set<String> stages = new LinkedHashSet<>();
        results.forEach(r -> stages.addAll(of.apply(r).stages().keySet()));
        for (String stage : stages) {
            md.append(cells(
                    "stage: " + stage, results, r -> part(of.apply(r).stages().get(stage))));
        }
        Set<String> calls = new LinkedHashSet<>();
        for (String call : TimedTarget.ORDER) {
            if (results.stream().anyMatch(r -> of.apply(r).callNames().contains(call))) {
                calls.add(call);
            }
        }
        results.forEach(r -> calls.addAll(of.apply(r).callNames()));
        for (String call : calls) {
            md.append(cells("call: " + call, results, r -> {
                Breakdown b = of.apply(r);
                Samples samples = b.calls().get(call);
                return samples == null ? "–" : format(samples.median()) + " (" + b.count(call) + "×)";
            }));
        }
        md.append(
                cells(Breakdown.LOCAL, results, r -> format(of.apply(r).local().median())));
        md.append('\n');
    }

    private static <T> String cells(String name, List<T> results, Function<T, String> cell) {
        StringBuilder line = new StringBuilder("| ").append(name).append(" |");
        for (T result : results) {
            line.append(' ').append(cell.apply(result)).append(" |");
        }
        return line.append('\n').toString();
    }

    private static String part(Samples samples) {
        return samples == null ? "–" : format(samples.median());
    }

    private static String label(int hosts, int sizeMib) {
        return hosts + (hosts == 1 ? " host, " : " hosts, ") + sizeMib + " MiB";
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String seconds(Samples samples) {
        return String.format(Locale.ROOT, "%.3f s (%.3f)", samples.median(), samples.min());
    }

    private static String format(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static String rate(double mibPerSecond) {
        return String.format(Locale.ROOT, "%.0f", mibPerSecond);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    // ---- CSV -----------------------------------------------------------------------------------

    /** Every sample: what was measured, on how many hosts, with which size, in which round, in seconds. */
    private String csv() {
        StringBuilder csv = new StringBuilder("measurement,hosts,size_mib,round,seconds\n");
        for (RollbackLatency r : rollbacks) {
            samples(csv, "floor_ssh_switch", r.hosts(), r.sizeMib(), r.floor());
            samples(csv, "rollback", r.hosts(), r.sizeMib(), r.rollback().wall());
            samples(csv, "roll_forward", r.hosts(), r.sizeMib(), r.rollForward().wall());
        }
        for (DeployThroughput d : deploys) {
            samples(csv, "floor_scp", d.hosts, d.sizeMib, d.scp);
            samples(csv, "read_release", d.hosts, d.sizeMib, d.read);
            samples(csv, "deploy", d.hosts, d.sizeMib, d.deploy.wall());
            samples(csv, "redeploy_staged", d.hosts, d.sizeMib, d.redeployStaged.wall());
            samples(csv, "redeploy_live", d.hosts, d.sizeMib, d.redeployLive.wall());
        }
        return csv.toString();
    }

    private static void samples(StringBuilder csv, String what, int hosts, int size, Samples samples) {
        List<Double> seconds = samples.seconds();
        for (int i = 0; i < seconds.size(); i++) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.6f%n", what, hosts, size, i + 1, seconds.get(i)));
        }
    }

    // ---- plot ----------------------------------------------------------------------------------

    private List<Integer> sizes() {
        return rollbacks.stream()
                .map(RollbackLatency::sizeMib)
                .distinct()
                .sorted()
                .toList();
    }

    private List<Integer> hostCounts() {
        return rollbacks.stream()
                .map(RollbackLatency::hosts)
                .distinct()
                .sorted()
                .toList();
    }

    private Double median(int hosts, int size, boolean floor) {
        return rollbacks.stream()
                .filter(r -> r.hosts() == hosts && r.sizeMib() == size)
                .findFirst()
                .map(r -> floor ? r.floor().median() : r.rollback().wall().median())
                .orElse(null);
    }

    /** Columns: hosts, then for each size the floor's median and the rollback's median (NaN where not measured). */
    private String plotData() {
        StringBuilder dat = new StringBuilder("# hosts");
        for (int size : sizes()) {
            dat.append(" floor_")
                    .append(size)
                    .append("MiB rollback_")
                    .append(size)
                    .append("MiB");
        }
        dat.append('\n');
        for (int hosts : hostCounts()) {
            dat.append(hosts);
            for (int size : sizes()) {
                for (boolean floor : new boolean[] {true, false}) {
                    Double value = median(hosts, size, floor);
                    dat.append(' ').append(value == null ? "NaN" : String.format(Locale.ROOT, "%.6f", value));
                }
            }
            dat.append('\n');
        }
        return dat.toString();
    }

    /** Draws rollback seconds against hosts, ours and the floor; returns the file's name. */
    private String plot(Path folder) throws IOException, InterruptedException {
        if (rollbacks.isEmpty()) {
            return "none (no rollback measured)";
        }
        Files.deleteIfExists(folder.resolve(PLOT_PNG));
        Files.deleteIfExists(folder.resolve(PLOT_SVG));
        Files.deleteIfExists(folder.resolve("rollback.gp"));
        if (!options.svgPlot() && gnuplotAvailable()) {
            Files.writeString(folder.resolve("rollback.gp"), gnuplotScript(folder.toAbsolutePath()));
            ExecResult result = ExecResult.run(
                    List.of("gnuplot", folder.resolve("rollback.gp").toString()), Duration.ofMinutes(1));
            if (result.succeeded() && Files.exists(folder.resolve(PLOT_PNG))) {
                return PLOT_PNG;
            }
            Benchmark.log("gnuplot failed, drawing an SVG instead: " + result);
        }
        Files.writeString(folder.resolve(PLOT_SVG), svg());
        return PLOT_SVG;
    }

    private static boolean gnuplotAvailable() throws InterruptedException {
        try {
            return ExecResult.run(List.of("gnuplot", "--version"), Duration.ofSeconds(10))
                    .succeeded();
        } catch (IOException e) {
            return false;
        }
    }

    private String title() {
        return "Rollback latency against hosts (median of " + options.rounds() + " rounds)";
    }

    private String gnuplotScript(Path folder) {
        String data = "'" + folder.resolve("rollback.dat") + "'";
        StringBuilder gp = new StringBuilder();
        gp.append("set terminal pngcairo size 900,540 font 'sans,11'\n");
        gp.append("set output '").append(folder.resolve(PLOT_PNG)).append("'\n");
        gp.append("set title '").append(title()).append("'\n");
        gp.append("set xlabel 'hosts (environment concurrency = hosts)'\n");
        gp.append("set ylabel 'seconds'\n");
        gp.append("set xtics (");
        List<String> tics = new ArrayList<>();
        hostCounts().forEach(h -> tics.add("'" + h + "' " + h));
        gp.append(String.join(", ", tics)).append(")\n");
        gp.append("set yrange [0:*]\nset grid\nset key top left\n");
        List<String> lines = new ArrayList<>();
        String[] colours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
        int column = 2;
        int i = 0;
        for (int size : sizes()) {
            String colour = colours[i++ % colours.length];
            lines.add(data + " using 1:" + column + " with linespoints dt 2 pt 6 lc rgb '" + colour
                    + "' title 'floor: one ssh per host in parallel (" + size + " MiB)'");
            lines.add(data + " using 1:" + (column + 1) + " with linespoints lw 2 pt 7 lc rgb '" + colour
                    + "' title 'Deploy Rollback rollback (" + size + " MiB)'");
            column += 2;
        }
        gp.append("plot ").append(String.join(", \\\n     ", lines)).append('\n');
        return gp.toString();
    }

    /** The same chart without gnuplot: axes, grid, one line per series, a legend. */
    private String svg() {
        int width = 900;
        int height = 540;
        int left = 70;
        int right = 30;
        int top = 50;
        int bottom = 60;
        List<Integer> hosts = hostCounts();
        double maxX = hosts.get(hosts.size() - 1);
        double maxY = 0;
        for (RollbackLatency r : rollbacks) {
            maxY = Math.max(
                    maxY, Math.max(r.floor().median(), r.rollback().wall().median()));
        }
        double step = niceStep(maxY / 5);
        maxY = Math.ceil(maxY / step) * step;
        double plotWidth = width - left - right;
        double plotHeight = height - top - bottom;
        double minX = hosts.get(0) == maxX ? 0 : hosts.get(0);
        Function<Double, Double> x = v -> left + (maxX == minX ? 0.5 : (v - minX) / (maxX - minX)) * plotWidth;
        double finalMaxY = maxY;
        Function<Double, Double> y = v -> top + plotHeight - v / finalMaxY * plotHeight;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                width,
                height));
        svg.append(text(width / 2.0, 25, "middle", 15, title()));
        for (double v = 0; v <= maxY + step / 2; v += step) {
            svg.append(line(left, y.apply(v), width - right, y.apply(v), "#dddddd", 1, null));
            svg.append(text(left - 8, y.apply(v) + 4, "end", 12, String.format(Locale.ROOT, "%.2f", v)));
        }
        for (int h : hosts) {
            svg.append(line(x.apply((double) h), top, x.apply((double) h), top + plotHeight, "#dddddd", 1, null));
            svg.append(text(x.apply((double) h), top + plotHeight + 18, "middle", 12, Integer.toString(h)));
        }
        svg.append(line(left, top + plotHeight, width - right, top + plotHeight, "black", 1, null));
        svg.append(line(left, top, left, top + plotHeight, "black", 1, null));
        svg.append(text(width / 2.0, height - 15, "middle", 12, "hosts (environment concurrency = hosts)"));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">seconds</text>%n",
                top + plotHeight / 2,
                top + plotHeight / 2));
        String[] colours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
        int i = 0;
        int legend = 0;
        for (int size : sizes()) {
            String colour = colours[i++ % colours.length];
            for (boolean floor : new boolean[] {true, false}) {
                List<String> points = new ArrayList<>();
                StringBuilder markers = new StringBuilder();
                for (int h : hosts) {
                    Double value = median(h, size, floor);
                    if (value != null) {
                        points.add(String.format(Locale.ROOT, "%.1f,%.1f", x.apply((double) h), y.apply(value)));
                        markers.append(String.format(
                                Locale.ROOT,
                                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\"/>%n",
                                x.apply((double) h),
                                y.apply(value),
                                floor ? "white" : colour,
                                colour));
                    }
                }
                String dash = floor ? "6,4" : null;
                svg.append(String.format(
                        Locale.ROOT,
                        "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%d\"%s/>%n",
                        String.join(" ", points),
                        colour,
                        floor ? 1 : 2,
                        dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
                svg.append(markers);
                double ly = top + 10 + 18 * legend++;
                svg.append(line(left + 15, ly, left + 45, ly, colour, floor ? 1 : 2, dash));
                svg.append(text(
                        left + 52,
                        ly + 4,
                        "start",
                        12,
                        (floor ? "floor: one ssh per host in parallel (" : "Deploy Rollback rollback (") + size
                                + " MiB)"));
            }
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double niceStep(double raw) {
        if (raw <= 0) {
            return 0.1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double nice : new double[] {1, 2, 2.5, 5, 10}) {
            if (nice * magnitude >= raw) {
                return nice * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, int width, String dash) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%d\"%s/>%n",
                x1,
                y1,
                x2,
                y2,
                colour,
                width,
                dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    private static String text(double x, double y, String anchor, int size, String content) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x,
                y,
                anchor,
                size,
                content.replace("&", "&amp;").replace("<", "&lt;"));
    }
}

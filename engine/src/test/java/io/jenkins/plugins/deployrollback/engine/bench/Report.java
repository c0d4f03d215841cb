package io.jenkins.plugins.deployrollback.engine.bench;

import io.jenkins.plugins.deployrollback.engine.testing.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The benchmark's results: a Markdown report (tables with each ratio to its floor or baseline and whether
 * the target was met), the raw samples as CSV, the plots' data, and the plots themselves (gnuplot's PNG
 * when gnuplot is installed, else an SVG drawn here): rollback seconds against hosts, and rolling deploy
 * seconds against batch size.
 */
final class Report {
    static final String PLOT_PNG = "rollback-vs-hosts.png";
    static final String PLOT_SVG = "rollback-vs-hosts.svg";
    static final String ROLLING_PNG = "rolling-vs-batch.png";
    static final String ROLLING_SVG = "rolling-vs-batch.svg";
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    private final BenchOptions options;
    private final MachineInfo before;
    private final MachineInfo after;
    private final List<RollbackLatency> rollbacks;
    private final List<AgedRollback> aged;
    private final List<DeployThroughput> deploys;
    private final List<BlueGreenSwitch> blueGreens;
    private final List<RollingRollout> rollings;
    private final Anatomy anatomy;
    private List<String> plots = List.of();

    Report(
            BenchOptions options,
            MachineInfo before,
            MachineInfo after,
            List<RollbackLatency> rollbacks,
            List<AgedRollback> aged,
            List<DeployThroughput> deploys,
            List<BlueGreenSwitch> blueGreens,
            List<RollingRollout> rollings,
            Anatomy anatomy) {
        this.options = options;
        this.anatomy = anatomy;
        this.before = before;
        this.after = after;
        this.rollbacks = List.copyOf(rollbacks);
        this.aged = List.copyOf(aged);
        this.deploys = List.copyOf(deploys);
        this.blueGreens = List.copyOf(blueGreens);
        this.rollings = List.copyOf(rollings);
    }

    /** Writes results.md, samples.csv, rollback.dat, rolling.dat and the plots into {@code folder}. */
    void write(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("samples.csv"), csv());
        Files.writeString(folder.resolve("rollback.dat"), plotData());
        Files.writeString(folder.resolve("rolling.dat"), rollingData());
        List<String> drawn = new ArrayList<>();
        if (!rollbacks.isEmpty()) {
            drawn.add(plot(folder, "rollback.gp", PLOT_PNG, PLOT_SVG, this::gnuplotScript, this::svg));
        }
        for (RollingRollout r : rollings) {
            drawn.add(plot(
                    folder, "rolling.gp", ROLLING_PNG, ROLLING_SVG, f -> rollingScript(r, f), () -> rollingSvg(r)));
        }
        plots = drawn;
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
        if (!aged.isEmpty()) {
            agedTable(md);
        }
        if (!deploys.isEmpty()) {
            deployTable(md);
            redeployTable(md);
        }
        if (!blueGreens.isEmpty()) {
            blueGreenTable(md);
        }
        for (RollingRollout r : rollings) {
            rollingTable(md, r);
        }
        md.append("## Where the time goes\n\n");
        md.append("Medians over the rounds, in seconds. By stage: from the progress listener's stage")
                .append(" announcements. By call: each kind of call on the targets, added up over the hosts")
                .append(" (with the number of calls per operation); with targets worked on one at a time,")
                .append(" the calls and the rest add up to the whole.\n\n");
        if (!rollbacks.isEmpty()) {
            breakdown(md, "Rollback (switch only)", rollbacks, r -> label(r.hosts(), r.sizeMib()), r -> r.rollback());
            breakdown(
                    md,
                    "Warm rollback (switch only, connections kept)",
                    rollbacks,
                    r -> label(r.hosts(), r.sizeMib()),
                    RollbackLatency::warmRollback);
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
        if (!blueGreens.isEmpty()) {
            breakdown(
                    md,
                    "Blue/green switch-back (pointer only)",
                    blueGreens,
                    b -> label(b.hosts(), b.sizeMib()),
                    BlueGreenSwitch::switchBack);
        }
        for (RollingRollout r : rollings) {
            List<Map.Entry<String, Breakdown>> variants = new ArrayList<>();
            variants.add(Map.entry("all at once", r.allAtOnce));
            r.rolling.forEach((batch, b) -> variants.add(Map.entry("batches of " + batch, b)));
            breakdown(
                    md,
                    "Deploy of a new " + r.sizeMib + " MiB release to " + r.hosts + " hosts, all at once and rolling",
                    variants,
                    Map.Entry::getKey,
                    Map.Entry::getValue);
        }
        if (!anatomy.parts().isEmpty()) {
            md.append("### The parts, each timed alone on one host\n\n");
            md.append("| Part | Median s | Min s |\n|:---|---:|---:|\n");
            anatomy.parts()
                    .forEach((part, samples) -> md.append(row(part, format(samples.median()), format(samples.min()))));
            md.append('\n');
        }
        md.append("Raw samples: samples.csv. Plots: ")
                .append(plots.isEmpty() ? "none" : String.join(", ", plots))
                .append(".\n");
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
                .append("× the floor. Warm: the same rollback on connections kept from the operation before")
                .append(" (an `SshConnectionPool`, as a Jenkins controller keeps them); each reuse still checks")
                .append(" the host key and that the host answers.\n\n");
        md.append("| Hosts | Release | Floor (ssh) | Rollback | Ratio | Roll-forward | Ratio | Target ≤ 1.5× |"
                + " Warm rollback | Ratio | Load |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|:---|---:|---:|---:|\n");
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
                    seconds(r.warmRollback().wall()),
                    ratio(r.warmRatio()),
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

    private void agedTable(StringBuilder md) {
        md.append("## Rollback on hosts with a long ledger\n\n");
        md.append("The rollback latency's measurement on hosts whose ledgers already hold the lines of tens of")
                .append(" thousands of earlier operations, as after years of deploys. Fresh: the rollback of the")
                .append(" same number of hosts with a fresh ledger, measured earlier in this run.\n\n");
        md.append(
                "| Hosts | Ledger lines | Ledger size | Floor (ssh) | Rollback | Ratio | Fresh ledger | Aged / fresh |"
                        + " Load |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (AgedRollback a : aged) {
            RollbackLatency fresh = rollbacks.stream()
                    .filter(r -> r.hosts() == a.hosts())
                    .findFirst()
                    .orElse(null);
            md.append(row(
                    Integer.toString(a.hosts()),
                    Integer.toString(a.ledgerLines()),
                    String.format(Locale.ROOT, "%.1f MB", a.ledgerBytes() / 1e6),
                    seconds(a.floor()),
                    seconds(a.rollback().wall()),
                    ratio(a.ratio()),
                    fresh == null ? "–" : seconds(fresh.rollback().wall()),
                    fresh == null
                            ? "–"
                            : ratio(a.rollback().wall().median()
                                    / fresh.rollback().wall().median()),
                    String.format(Locale.ROOT, "%.1f", a.load())));
        }
        md.append('\n');
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
                .append(
                        " Warm: the staged redeploy on connections kept from the operation before. Target: ≤ 10 %.\n\n");
        md.append("| Hosts | Release | First deploy | Redeploy, staged | Share | Warm | Share | Target ≤ 10 % |"
                + " Redeploy, live | Share |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|:---|---:|---:|\n");
        for (DeployThroughput d : deploys) {
            md.append(row(
                    Integer.toString(d.hosts),
                    d.sizeMib + " MiB",
                    seconds(d.deploy.wall()),
                    seconds(d.redeployStaged.wall()),
                    percent(d.redeployStagedShare()),
                    seconds(d.redeployStagedWarm.wall()),
                    percent(d.redeployStagedWarmShare()),
                    (d.redeployStagedShare() <= DeployThroughput.REDEPLOY_TARGET ? "met" : "**missed**")
                            + (d.redeployStagedWarmShare() <= DeployThroughput.REDEPLOY_TARGET
                                    ? "; warm: met"
                                    : "; warm: **missed**"),
                    seconds(d.redeployLive.wall()),
                    percent(d.redeployLiveShare())));
        }
        md.append('\n');
    }

    private void blueGreenTable(StringBuilder md) {
        md.append("## Blue/green switch-back\n\n");
        md.append("Strategy.BlueGreen: r1 on one slot, r2 on the other and live. Floor: the rollback latency's,")
                .append(" one OpenSSH `ssh` per host switching a link, all in parallel. Ours:")
                .append(" `DeploymentEngine.rollback` to r1, checked to be the pointer only (every target's")
                .append(" action SWITCH, nothing staged, no slot pointed, the slots still holding r1 and r2),")
                .append(" and `rollForward` back to r2, checked alike. Median (min) of ")
                .append(options.rounds())
                .append(" rounds; the floor's median is over both directions.\n\n");
        md.append("| Hosts | Floor (ssh) | Blue/green switch-back | Ratio | Switch-forward | Ratio | Load |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BlueGreenSwitch b : blueGreens) {
            md.append(row(
                    Integer.toString(b.hosts()),
                    seconds(b.floor()),
                    seconds(b.switchBack().wall()),
                    ratio(b.ratio()),
                    seconds(b.switchForward().wall()),
                    ratio(b.forwardRatio()),
                    String.format(Locale.ROOT, "%.1f", b.load())));
        }
        md.append('\n');
    }

    private void rollingTable(StringBuilder md, RollingRollout r) {
        md.append("## Rolling deploy against batch size\n\n");
        md.append("A new ")
                .append(r.sizeMib)
                .append(" MiB release deployed to ")
                .append(r.hosts)
                .append(" hosts each round, no gates and no hooks: staging on every host, then one switch")
                .append(" wave per batch (Strategy.Rolling, stopping at the first failed target). Baseline:")
                .append(" the same deploy all at once (Strategy.AllAtOnce), in the same rounds; each round")
                .append(" deploys every variant, in an order that turns round by round. Median (min) of ")
                .append(options.rounds())
                .append(" rounds. Switching: the part of the deploy from the first switch wave to the end of")
                .append(" the last, the part the batch size changes. Load at the start: ")
                .append(String.format(Locale.ROOT, "%.1f", r.load))
                .append(".\n\n");
        md.append("| Batch size | Steps | Deploy | Ratio vs all at once | Switching |\n");
        md.append("|---:|---:|---:|---:|---:|\n");
        md.append(row(
                "all at once",
                "1",
                seconds(r.allAtOnce.wall()),
                ratio(1),
                seconds(RollingRollout.switching(r.allAtOnce))));
        r.rolling.forEach((batch, b) -> md.append(row(
                Integer.toString(batch),
                Integer.toString(r.steps.get(batch)),
                seconds(b.wall()),
                ratio(r.ratio(batch)),
                seconds(RollingRollout.switching(b)))));
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
            samples(
                    csv,
                    "rollback_warm",
                    r.hosts(),
                    r.sizeMib(),
                    r.warmRollback().wall());
        }
        for (AgedRollback a : aged) {
            samples(csv, "floor_ssh_switch_aged", a.hosts(), BenchOptions.SMALL_MIB, a.floor());
            samples(
                    csv,
                    "rollback_aged_ledger",
                    a.hosts(),
                    BenchOptions.SMALL_MIB,
                    a.rollback().wall());
        }
        for (DeployThroughput d : deploys) {
            samples(csv, "floor_scp", d.hosts, d.sizeMib, d.scp);
            samples(csv, "read_release", d.hosts, d.sizeMib, d.read);
            samples(csv, "deploy", d.hosts, d.sizeMib, d.deploy.wall());
            samples(csv, "redeploy_staged", d.hosts, d.sizeMib, d.redeployStaged.wall());
            samples(csv, "redeploy_staged_warm", d.hosts, d.sizeMib, d.redeployStagedWarm.wall());
            samples(csv, "redeploy_live", d.hosts, d.sizeMib, d.redeployLive.wall());
        }
        for (BlueGreenSwitch b : blueGreens) {
            samples(csv, "floor_ssh_switch_bluegreen", b.hosts(), b.sizeMib(), b.floor());
            samples(
                    csv,
                    "bluegreen_switch_back",
                    b.hosts(),
                    b.sizeMib(),
                    b.switchBack().wall());
            samples(
                    csv,
                    "bluegreen_switch_forward",
                    b.hosts(),
                    b.sizeMib(),
                    b.switchForward().wall());
        }
        for (RollingRollout r : rollings) {
            samples(csv, "deploy_all_at_once", r.hosts, r.sizeMib, r.allAtOnce.wall());
            r.rolling.forEach(
                    (batch, b) -> samples(csv, "deploy_rolling_batch_" + batch, r.hosts, r.sizeMib, b.wall()));
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

    /** What the rollback plot draws for each release size, in its data file's column order. */
    private enum Line {
        FLOOR,
        ROLLBACK,
        WARM
    }

    private Double median(int hosts, int size, Line line) {
        return rollbacks.stream()
                .filter(r -> r.hosts() == hosts && r.sizeMib() == size)
                .findFirst()
                .map(r -> switch (line) {
                    case FLOOR -> r.floor().median();
                    case ROLLBACK -> r.rollback().wall().median();
                    case WARM -> r.warmRollback().wall().median();
                })
                .orElse(null);
    }

    /**
     * Columns: hosts, then for each size the floor's median, the rollback's and the warm rollback's (NaN
     * where not measured).
     */
    private String plotData() {
        StringBuilder dat = new StringBuilder("# hosts");
        for (int size : sizes()) {
            dat.append(" floor_")
                    .append(size)
                    .append("MiB rollback_")
                    .append(size)
                    .append("MiB warm_rollback_")
                    .append(size)
                    .append("MiB");
        }
        dat.append('\n');
        for (int hosts : hostCounts()) {
            dat.append(hosts);
            for (int size : sizes()) {
                for (Line line : Line.values()) {
                    Double value = median(hosts, size, line);
                    dat.append(' ').append(value == null ? "NaN" : String.format(Locale.ROOT, "%.6f", value));
                }
            }
            dat.append('\n');
        }
        return dat.toString();
    }

    /**
     * Columns: batch size, steps, the rolling deploy's median and minimum, the all-at-once deploy's
     * median, then the medians of their switching.
     */
    private String rollingData() {
        StringBuilder dat = new StringBuilder("# batch steps rolling_median rolling_min all_at_once_median"
                + " rolling_switching_median all_at_once_switching_median\n");
        for (RollingRollout r : rollings) {
            double baselineSwitching = RollingRollout.switching(r.allAtOnce).median();
            r.rolling.forEach((batch, b) -> dat.append(String.format(
                    Locale.ROOT,
                    "%d %d %.6f %.6f %.6f %.6f %.6f%n",
                    batch,
                    r.steps.get(batch),
                    b.wall().median(),
                    b.wall().min(),
                    r.allAtOnce.wall().median(),
                    RollingRollout.switching(b).median(),
                    baselineSwitching)));
        }
        return dat.toString();
    }

    @FunctionalInterface
    private interface Script {
        String of(Path folder);
    }

    @FunctionalInterface
    private interface Drawing {
        String svg();
    }

    /** Draws one plot, with gnuplot's script {@code gp} when it can, else as an SVG; returns the file's name. */
    private String plot(Path folder, String gp, String png, String svgName, Script script, Drawing svg)
            throws IOException, InterruptedException {
        Files.deleteIfExists(folder.resolve(png));
        Files.deleteIfExists(folder.resolve(svgName));
        Files.deleteIfExists(folder.resolve(gp));
        if (!options.svgPlot() && gnuplotAvailable()) {
            Files.writeString(folder.resolve(gp), script.of(folder.toAbsolutePath()));
            ExecResult result =
                    ExecResult.run(List.of("gnuplot", folder.resolve(gp).toString()), Duration.ofMinutes(1));
            if (result.succeeded() && Files.exists(folder.resolve(png))) {
                return png;
            }
            Benchmark.log("gnuplot failed, drawing an SVG instead: " + result);
        }
        Files.writeString(folder.resolve(svgName), svg.svg());
        return svgName;
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
        int column = 2;
        int i = 0;
        for (int size : sizes()) {
            String colour = COLOURS[i++ % COLOURS.length];
            lines.add(data + " using 1:" + column + " with linespoints dt 2 pt 6 lc rgb '" + colour
                    + "' title 'floor: one ssh per host in parallel (" + size + " MiB)'");
            lines.add(data + " using 1:" + (column + 1) + " with linespoints lw 2 pt 7 lc rgb '" + colour
                    + "' title 'Deploy Rollback rollback (" + size + " MiB)'");
            lines.add(data + " using 1:" + (column + 2) + " with linespoints lw 2 pt 5 lc rgb '" + warmColour(i - 1)
                    + "' title 'warm rollback, connections kept (" + size + " MiB)'");
            column += 3;
        }
        gp.append("plot ").append(String.join(", \\\n     ", lines)).append('\n');
        return gp.toString();
    }

    /** The warm rollback's colour for the {@code index}th release size: the palette's other half. */
    private static String warmColour(int index) {
        return COLOURS[(index + 2) % COLOURS.length];
    }

    /** The rollback chart without gnuplot. */
    private String svg() {
        List<Series> series = new ArrayList<>();
        int i = 0;
        for (int size : sizes()) {
            String colour = COLOURS[i++ % COLOURS.length];
            for (Line line : Line.values()) {
                Map<Integer, Double> values = new LinkedHashMap<>();
                for (int h : hostCounts()) {
                    Double value = median(h, size, line);
                    if (value != null) {
                        values.put(h, value);
                    }
                }
                series.add(new Series(
                        switch (line) {
                                    case FLOOR -> "floor: one ssh per host in parallel (";
                                    case ROLLBACK -> "Deploy Rollback rollback (";
                                    case WARM -> "warm rollback, connections kept (";
                                }
                                + size + " MiB)",
                        line == Line.WARM ? warmColour(i - 1) : colour,
                        line == Line.FLOOR,
                        values));
            }
        }
        return svgChart(title(), "hosts (environment concurrency = hosts)", hostCounts(), false, series);
    }

    private String rollingTitle(RollingRollout r) {
        return "Deploy of a new " + r.sizeMib + " MiB release to " + r.hosts + " hosts against batch size (median of "
                + options.rounds() + " rounds)";
    }

    private static String rollingXLabel(RollingRollout r) {
        return "batch size (targets switched per step; " + r.hosts + " = one step), log scale";
    }

    private String rollingScript(RollingRollout r, Path folder) {
        String data = "'" + folder.resolve("rolling.dat") + "'";
        List<Integer> batches = List.copyOf(r.rolling.keySet());
        StringBuilder gp = new StringBuilder();
        gp.append("set terminal pngcairo size 900,540 font 'sans,11'\n");
        gp.append("set output '").append(folder.resolve(ROLLING_PNG)).append("'\n");
        gp.append("set title '").append(rollingTitle(r)).append("'\n");
        gp.append("set xlabel '").append(rollingXLabel(r)).append("'\n");
        gp.append("set ylabel 'seconds'\n");
        gp.append("set logscale x\n");
        int low = batches.stream().mapToInt(Integer::intValue).min().orElse(1);
        int high = batches.stream().mapToInt(Integer::intValue).max().orElse(r.hosts);
        gp.append(String.format(Locale.ROOT, "set xrange [%.2f:%.2f]%n", low / 1.25, high * 1.25));
        gp.append("set xtics (");
        List<String> tics = new ArrayList<>();
        batches.forEach(b -> tics.add("'" + b + "' " + b));
        gp.append(String.join(", ", tics)).append(")\n");
        gp.append("set yrange [0:*]\nset grid\nset key below maxrows 3\n");
        List<String> lines = new ArrayList<>();
        lines.add(data + " using 1:3 with linespoints lw 2 pt 7 lc rgb '" + COLOURS[1]
                + "' title 'rolling deploy (median)'");
        lines.add(data + " using 1:4 with points pt 6 lc rgb '" + COLOURS[1] + "' title 'rolling deploy (min)'");
        lines.add(data + " using 1:5 with lines dt 2 lw 1 lc rgb '" + COLOURS[0]
                + "' title 'all at once, same rounds (median)'");
        lines.add(data + " using 1:6 with linespoints lw 2 pt 5 lc rgb '" + COLOURS[2]
                + "' title 'of which switching, rolling (median)'");
        lines.add(data + " using 1:7 with lines dt 2 lw 1 lc rgb '" + COLOURS[3]
                + "' title 'of which switching, all at once (median)'");
        lines.add(data + " using 1:3:(sprintf('%d step%s', int($2), int($2) == 1 ? '' : 's'))"
                + " with labels offset 0,1.2 notitle");
        gp.append("plot ").append(String.join(", \\\n     ", lines)).append('\n');
        return gp.toString();
    }

    /** The rolling chart without gnuplot. */
    private String rollingSvg(RollingRollout r) {
        Map<Integer, Double> median = new LinkedHashMap<>();
        Map<Integer, Double> baseline = new LinkedHashMap<>();
        Map<Integer, Double> switching = new LinkedHashMap<>();
        Map<Integer, Double> baselineSwitching = new LinkedHashMap<>();
        r.rolling.forEach((batch, b) -> {
            median.put(batch, b.wall().median());
            baseline.put(batch, r.allAtOnce.wall().median());
            switching.put(batch, RollingRollout.switching(b).median());
            baselineSwitching.put(batch, RollingRollout.switching(r.allAtOnce).median());
        });
        return svgChart(
                rollingTitle(r),
                rollingXLabel(r),
                List.copyOf(r.rolling.keySet()),
                true,
                List.of(
                        new Series("rolling deploy (median)", COLOURS[1], false, median),
                        new Series("all at once, same rounds (median)", COLOURS[0], true, baseline),
                        new Series("of which switching, rolling (median)", COLOURS[2], false, switching),
                        new Series("of which switching, all at once (median)", COLOURS[3], true, baselineSwitching)));
    }

    /** One line of an SVG chart: a dashed one is drawn thin with hollow markers (a floor or a baseline). */
    private record Series(String title, String colour, boolean dashed, Map<Integer, Double> values) {}

    /** A line chart of seconds against {@code xs}: axes, grid, one line per series, a legend. */
    private static String svgChart(String title, String xLabel, List<Integer> xs, boolean logX, List<Series> series) {
        int width = 900;
        int height = 540;
        int left = 70;
        int right = 30;
        int top = 50;
        int bottom = 60;
        List<Integer> sorted = xs.stream().sorted().toList();
        Function<Double, Double> scale = v -> logX ? Math.log(v) : v;
        double maxX = scale.apply((double) sorted.get(sorted.size() - 1));
        double maxY = 0;
        for (Series s : series) {
            for (double v : s.values().values()) {
                maxY = Math.max(maxY, v);
            }
        }
        double step = niceStep(maxY / 5);
        maxY = Math.ceil(maxY / step) * step;
        double plotWidth = width - left - right;
        double plotHeight = height - top - bottom;
        double first = scale.apply((double) sorted.get(0));
        double minX = first == maxX ? 0 : first;
        Function<Double, Double> x =
                v -> left + (maxX == minX ? 0.5 : (scale.apply(v) - minX) / (maxX - minX)) * plotWidth;
        double finalMaxY = maxY;
        Function<Double, Double> y = v -> top + plotHeight - v / finalMaxY * plotHeight;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                width,
                height));
        svg.append(text(width / 2.0, 25, "middle", 15, title));
        for (double v = 0; v <= maxY + step / 2; v += step) {
            svg.append(line(left, y.apply(v), width - right, y.apply(v), "#dddddd", 1, null));
            svg.append(text(left - 8, y.apply(v) + 4, "end", 12, String.format(Locale.ROOT, "%.2f", v)));
        }
        for (int h : sorted) {
            svg.append(line(x.apply((double) h), top, x.apply((double) h), top + plotHeight, "#dddddd", 1, null));
            svg.append(text(x.apply((double) h), top + plotHeight + 18, "middle", 12, Integer.toString(h)));
        }
        svg.append(line(left, top + plotHeight, width - right, top + plotHeight, "black", 1, null));
        svg.append(line(left, top, left, top + plotHeight, "black", 1, null));
        svg.append(text(width / 2.0, height - 15, "middle", 12, xLabel));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">seconds</text>%n",
                top + plotHeight / 2,
                top + plotHeight / 2));
        int legend = 0;
        for (Series s : series) {
            List<String> points = new ArrayList<>();
            StringBuilder markers = new StringBuilder();
            for (int h : sorted) {
                Double value = s.values().get(h);
                if (value != null) {
                    points.add(String.format(Locale.ROOT, "%.1f,%.1f", x.apply((double) h), y.apply(value)));
                    markers.append(String.format(
                            Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\"/>%n",
                            x.apply((double) h),
                            y.apply(value),
                            s.dashed() ? "white" : s.colour(),
                            s.colour()));
                }
            }
            String dash = s.dashed() ? "6,4" : null;
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%d\"%s/>%n",
                    String.join(" ", points),
                    s.colour(),
                    s.dashed() ? 1 : 2,
                    dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
            svg.append(markers);
            double ly = top + 10 + 18 * legend++;
            svg.append(line(left + 15, ly, left + 45, ly, s.colour(), s.dashed() ? 1 : 2, dash));
            svg.append(text(left + 52, ly + 4, "start", 12, s.title()));
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

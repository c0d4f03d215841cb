package io.jenkins.plugins.deployrollback.cli.bench;

import io.jenkins.plugins.deployrollback.engine.bench.OpenSsh;
import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a user runs it: {@code java -jar deploy-rollback.jar} and the launcher, a new
 * JVM per command, and the launcher handing each command to the helper ({@code deploy-rollback daemon
 * start}) that keeps the JVM warm and its SSH connections open, against real sshd hosts on loopback, next to the floor measured in the same run — the OpenSSH
 * client doing the same work, one process per host, all at once: {@code ssh} making and renaming the
 * {@code current} link for a rollback, {@code scp} copying the release for a deploy. Prints a table
 * and writes it, with every sample, to {@code bench.out}.
 *
 * <p>Run with {@code mvn -q -Pbenchmark -pl cli verify} (after {@code mvn install -pl engine
 * -DskipTests}); options in {@link Options}.
 */
public final class CliBenchmark {
    private static final long LIMIT_SECONDS = 900;

    private final Options options;
    private final Path work;
    private final OpenSsh openSsh;
    private final StringBuilder samples = new StringBuilder("measurement\thosts\tMiB\tround\tseconds\n");
    /** The rollback rows for the plot: hosts, floor, java -jar, launcher, helper, helper's first command. */
    private final StringBuilder rollbackPlot =
            new StringBuilder("# hosts\tfloor\tjava -jar\tlauncher\thelper\thelper's first command\n");

    private CliBenchmark(Options options, Path work) throws IOException {
        this.options = options;
        this.work = work;
        this.openSsh = new OpenSsh(work.resolve("openssh-logs"));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.fromSystemProperties();
        Path work = Files.createTempDirectory("cli-benchmark-");
        try {
            Helper.start(work);
            try {
                new CliBenchmark(options, work).run();
            } finally {
                Helper.stop(work);
            }
        } finally {
            if (options.keep()) {
                System.out.println("Kept " + work);
            } else {
                FileTrees.delete(work);
            }
        }
    }

    private void run() throws Exception {
        String loadBefore = loadAverage();
        List<String> starts = new ArrayList<>();
        for (Launch launch : Launch.values()) {
            double start =
                    median(measure(launch.label + " --version", 0, 0, () -> cli(launch, work, List.of("--version"))));
            starts.add(String.format(Locale.ROOT, "%s %.3f s", launch.label, start));
        }
        List<String> rollbacks = new ArrayList<>();
        for (int hosts : options.rollbackHosts()) {
            rollbacks.add(rollbackRow(hosts));
        }
        List<String> deploys = new ArrayList<>();
        for (int hosts : options.deployHosts()) {
            for (int mib : options.deploySizes()) {
                deploys.add(deployRow(hosts, mib));
            }
        }
        String loadAfter = loadAverage();
        String report = String.join(
                "\n",
                "The command line as a process: a new JVM per command (`java -jar deploy-rollback.jar`, the"
                        + " `deploy-rollback` launcher) and the launcher with a helper (`daemon start`), medians of "
                        + options.rounds() + " rounds, "
                        + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name")
                        + " " + System.getProperty("java.version") + "; load average before " + loadBefore
                        + ", after " + loadAfter,
                "",
                "JVM start alone (`--version`): " + String.join(", ", starts),
                "",
                "| rollback | `java -jar` | launcher | launcher + helper | ssh floor | `java -jar` / floor"
                        + " | launcher / floor | launcher + helper / floor | helper's first command / floor |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                String.join("\n", rollbacks),
                "",
                "| deploy | `java -jar` | launcher | launcher + helper | scp floor | `java -jar`: throughput / scp"
                        + " | launcher: throughput / scp | launcher + helper: throughput / scp | launcher MiB/s written |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                String.join("\n", deploys),
                "");
        System.out.println(report);
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("cli-benchmark.md"), report);
        Files.writeString(options.out().resolve("cli-samples.tsv"), samples);
        plotRollbacks(options.out());
        System.out.println("Written to " + options.out());
    }

    /**
     * Rollback and roll-forward in turn between two staged releases, each way of starting the command
     * line in turn; the floor is one ssh per host making and renaming the link, all at once.
     */
    private String rollbackRow(int hosts) throws Exception {
        try (Stage stage = Stage.start(work.resolve("rollback-" + hosts), hosts, options.keep())) {
            stage.deploy(Launch.JAR, "r1", stage.release("r1", 1));
            stage.deploy(Launch.JAR, "r2", stage.release("r2", 1));
            Map<Launch, List<Double>> times = new EnumMap<>(Launch.class);
            List<Double> floor = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                for (Launch launch : round % 2 == 0 ? List.of(Launch.values()) : Launch.reversed()) {
                    times.computeIfAbsent(launch, l -> new ArrayList<>())
                            .add(timed(
                                    launch.label + " rollback",
                                    hosts,
                                    1,
                                    round,
                                    () -> stage.run(launch, List.of("rollback", Stage.ENV))));
                    stage.run(launch, List.of("roll-forward", Stage.ENV));
                }
                floor.add(seconds("ssh switch", hosts, 1, round, openSsh.runAll(stage.switchCommands("r1"))));
                openSsh.runAll(stage.switchCommands("r2"));
            }
            double floorSeconds = median(floor);
            double jar = median(times.get(Launch.JAR));
            double launcher = median(times.get(Launch.LAUNCHER));
            double helper = median(times.get(Launch.HELPER));
            // The stage started its helper: the first round's rollback is the first command it ran.
            double helperFirst = times.get(Launch.HELPER).get(0);
            rollbackPlot.append(String.format(
                    Locale.ROOT,
                    "%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f%n",
                    hosts,
                    floorSeconds,
                    jar,
                    launcher,
                    helper,
                    helperFirst));
            return String.format(
                    Locale.ROOT,
                    "| %d hosts | %.3f s | %.3f s | %.3f s | %.3f s | %.2fx | %.2fx | %.2fx | %.2fx (%.3f s) |",
                    hosts,
                    jar,
                    launcher,
                    helper,
                    floorSeconds,
                    jar / floorSeconds,
                    launcher / floorSeconds,
                    helper / floorSeconds,
                    helperFirst / floorSeconds,
                    helperFirst);
        }
    }

    /**
     * Writes the rollback rows as {@code cli-rollback.dat} with the gnuplot script {@code cli-rollback.gp}
     * that draws them, and draws {@code cli-rollback.png} when gnuplot is installed.
     */
    private void plotRollbacks(Path out) throws IOException, InterruptedException {
        Path data = out.resolve("cli-rollback.dat");
        Files.writeString(data, rollbackPlot);
        String d = "'" + data + "'";
        String script = String.join(
                "\n",
                "set terminal pngcairo size 900,540 font 'sans,11'",
                "set output '" + out.resolve("cli-rollback.png") + "'",
                "set title 'The command line: rollback seconds against hosts (median of " + options.rounds()
                        + " rounds)'",
                "set xlabel 'hosts'",
                "set ylabel 'seconds'",
                "set yrange [0:*]",
                "set grid",
                "set key top left",
                "plot " + d + " using 1:2 with linespoints dt 2 pt 6 lw 2 lc rgb '#444444'"
                        + " title 'floor: one ssh per host in parallel', \\",
                "     " + d + " using 1:3 with linespoints pt 9 lc rgb '#b2182b' title 'java -jar (a new JVM)', \\",
                "     " + d + " using 1:4 with linespoints pt 5 lc rgb '#ef8a62' title 'launcher (a new JVM)', \\",
                "     " + d + " using 1:6 with linespoints dt 3 pt 4 lc rgb '#67a9cf'"
                        + " title 'launcher + helper: its first command', \\",
                "     " + d + " using 1:5 with linespoints lw 2 pt 7 lc rgb '#2166ac' title 'launcher + helper'",
                "");
        Path gp = out.resolve("cli-rollback.gp");
        Files.writeString(gp, script);
        try {
            Process gnuplot = new ProcessBuilder("gnuplot", gp.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!gnuplot.waitFor(60, TimeUnit.SECONDS) || gnuplot.exitValue() != 0) {
                gnuplot.destroyForcibly();
                System.out.println("gnuplot failed on " + gp + ": no plot drawn");
            }
        } catch (IOException e) {
            System.out.println("No gnuplot here (apt-get install gnuplot-nox): " + gp + " draws the plot");
        }
    }

    /** A deploy of a new release (all of it transferred) against scp of the same bytes to every host. */
    private String deployRow(int hosts, int mib) throws Exception {
        try (Stage stage = Stage.start(work.resolve("deploy-" + hosts + "-" + mib), hosts, options.keep())) {
            stage.deploy(Launch.JAR, "d0", stage.release("d0", 1));
            Map<Launch, List<Double>> times = new EnumMap<>(Launch.class);
            List<Double> floor = new ArrayList<>();
            int deploys = 0;
            for (int round = 1; round <= options.rounds(); round++) {
                // Rotate which goes first, so none always meets a warm page cache.
                List<Launch> order = new ArrayList<>(List.of(Launch.values()));
                order.add(null);
                for (int k = 0; k < order.size(); k++) {
                    Launch which = order.get((k + round) % order.size());
                    String id = "d" + (++deploys);
                    Path release = stage.release(id, mib);
                    if (which == null) {
                        floor.add(seconds("scp", hosts, mib, round, openSsh.runAll(stage.scpCommands(release, round))));
                    } else {
                        times.computeIfAbsent(which, l -> new ArrayList<>())
                                .add(timed(
                                        which.label + " deploy",
                                        hosts,
                                        mib,
                                        round,
                                        () -> stage.deploy(which, id, release)));
                    }
                    stage.removeScpCopies(round);
                    FileTrees.delete(release);
                }
            }
            double scp = median(floor);
            double jar = median(times.get(Launch.JAR));
            double launcher = median(times.get(Launch.LAUNCHER));
            double helper = median(times.get(Launch.HELPER));
            return String.format(
                    Locale.ROOT,
                    "| %d hosts, %d MiB | %.3f s | %.3f s | %.3f s | %.3f s | %.2fx | %.2fx | %.2fx | %.0f |",
                    hosts,
                    mib,
                    jar,
                    launcher,
                    helper,
                    scp,
                    scp / jar,
                    scp / launcher,
                    scp / helper,
                    hosts * mib / launcher);
        }
    }

    /**
     * How the command line is started: as {@code java -jar}, by the launcher script beside the jar in a
     * JVM of its own, or by the launcher handing it to the helper of the folder.
     */
    enum Launch {
        JAR("java -jar"),
        LAUNCHER("launcher"),
        HELPER("launcher + helper");

        final String label;

        Launch(String label) {
            this.label = label;
        }

        static List<Launch> reversed() {
            return List.of(HELPER, LAUNCHER, JAR);
        }

        /** The variables it runs with: the other two ways never use the helper. */
        Map<String, String> environment() {
            return this == HELPER ? Map.of() : Map.of("DEPLOY_ROLLBACK_DAEMON", "off");
        }

        List<String> command() {
            return this == JAR
                    ? List.of(
                            ProcessHandle.current().info().command().orElse("java"),
                            "-jar",
                            Options.jar().toString())
                    : List.of(Options.jar().resolveSibling("deploy-rollback").toString());
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private double timed(String what, int hosts, int mib, int round, Run run) throws Exception {
        long start = System.nanoTime();
        run.run();
        return seconds(what, hosts, mib, round, System.nanoTime() - start);
    }

    private double seconds(String what, int hosts, int mib, int round, long nanos) {
        double seconds = nanos / 1e9;
        samples.append(String.format(Locale.ROOT, "%s\t%d\t%d\t%d\t%.4f%n", what, hosts, mib, round, seconds));
        return seconds;
    }

    private List<Double> measure(String what, int hosts, int mib, Run run) throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            seconds.add(timed(what, hosts, mib, round, run));
        }
        return seconds;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Runs the command line with {@code args} in {@code dir}; fails with its output when it does not exit 0. */
    static void cli(Launch launch, Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launch.command());
        command.addAll(args);
        Path output = Files.createTempFile(dir, "cli-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("DEPLOY_ROLLBACK_DAEMON_DIR", Helper.folder.toString());
        builder.environment().putAll(launch.environment());
        Process process = builder.start();
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", args) + " did not finish within " + LIMIT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", args) + " failed (exit " + process.exitValue() + "):\n"
                    + Files.readString(output));
        }
        Files.delete(output);
    }

    /** The helpers of the benchmark's folders, in a folder of the benchmark's own. */
    static final class Helper {
        static Path folder;

        private Helper() {}

        static void start(Path work) throws IOException, InterruptedException {
            if (folder == null) {
                folder = work.resolve("helpers");
            }
            cli(Launch.LAUNCHER, work, List.of("daemon", "start", "--idle", "30m"));
        }

        static void stop(Path dir) throws IOException, InterruptedException {
            cli(Launch.LAUNCHER, dir, List.of("daemon", "stop", "--now"));
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * {@code hosts} sshd hosts with one deploy key among them, a configuration of environment {@value
     * #ENV} naming them all, and releases made of one file of random bytes.
     */
    private static final class Stage implements AutoCloseable {
        static final String ENV = "bench";

        private final Path dir;
        private final SshServers servers;
        private final Path config;

        private final boolean keep;

        private Stage(Path dir, SshServers servers, Path config, boolean keep) {
            this.dir = dir;
            this.servers = servers;
            this.config = config;
            this.keep = keep;
        }

        static Stage start(Path dir, int hosts, boolean keep) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            SshServers servers = SshServers.start(dir.resolve("hosts"), hosts);
            Path key = servers.get(0).userKeyFile();
            String publicKey = Files.readString(key.resolveSibling("user_key.pub"));
            StringBuilder targets = new StringBuilder();
            List<String> knownHosts = new ArrayList<>();
            for (SshServer host : servers.all()) {
                // One deploy key for every host, as in production: sshd reads authorized_keys at every login.
                Path authorized = host.root().getParent().resolve("authorized_keys");
                Files.writeString(authorized, Files.readString(authorized) + publicKey);
                knownHosts.add(host.knownHostsLine());
                targets.append("""
                        - host: %s
                          port: %d
                          name: %s
                          path: %s
                        """.formatted(host.host(), host.port(), host.name(), host.root()));
            }
            Files.writeString(dir.resolve("known_hosts"), String.join("\n", knownHosts) + "\n");
            Path config = dir.resolve("deploy-rollback.yaml");
            Helper.start(dir);
            Files.writeString(config, """
                    state: state
                    environments:
                      %s:
                        concurrency: %d
                        ssh:
                          user: %s
                          identityFile: %s
                          knownHosts: known_hosts
                          hostKeyPolicy: strict
                        targets:
                    %s""".formatted(
                    ENV, hosts, servers.get(0).user(), key, targets.toString().indent(6)));
            return new Stage(dir, servers, config, keep);
        }

        /** Release {@code id}: a folder holding one file of {@code mib} MiB of random bytes. */
        Path release(String id, int mib) throws IOException {
            Path folder = Files.createDirectories(dir.resolve("artifacts").resolve(id));
            byte[] block = new byte[1 << 20];
            Random random = new Random(id.hashCode());
            try (OutputStream out = Files.newOutputStream(folder.resolve("app.bin"))) {
                for (int i = 0; i < mib; i++) {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
            return folder;
        }

        void deploy(Launch launch, String id, Path release) throws IOException, InterruptedException {
            run(launch, List.of("deploy", ENV, "--release", id, "--artifact", release.toString()));
        }

        void run(Launch launch, List<String> args) throws IOException, InterruptedException {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--config", config.toString(), "--by", "benchmark"));
            cli(launch, dir, all);
        }

        List<List<String>> switchCommands(String release) {
            List<List<String>> commands = new ArrayList<>();
            for (SshServer host : servers.all()) {
                commands.add(OpenSsh.switchCommand(host, host.root().toString(), release));
            }
            return commands;
        }

        List<List<String>> scpCommands(Path release, int round) throws IOException {
            List<List<String>> commands = new ArrayList<>();
            for (SshServer host : servers.all()) {
                Path folder = Files.createDirectories(host.root().resolve("scp"));
                commands.add(host.scpCommand(
                        release.resolve("app.bin"),
                        folder.resolve("copy-" + round + ".bin").toString()));
            }
            return commands;
        }

        void removeScpCopies(int round) throws IOException {
            for (SshServer host : servers.all()) {
                Files.deleteIfExists(host.root().resolve("scp").resolve("copy-" + round + ".bin"));
            }
        }

        /** Stops the hosts; with {@code bench.keep} they keep running, for a look at them and a run by hand. */
        @Override
        public void close() throws IOException, InterruptedException {
            Helper.stop(dir);
            if (!keep) {
                servers.close();
            }
        }
    }
}

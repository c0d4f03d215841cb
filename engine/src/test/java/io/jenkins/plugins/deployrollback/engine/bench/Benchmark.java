package io.jenkins.plugins.deployrollback.engine.bench;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.flow.ReturnRequest;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.plan.TargetAction;
import io.jenkins.plugins.deployrollback.engine.plan.TargetStep;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseContent;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseReader;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.strategy.TargetCount;
import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.HostKeyVerification;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshConnectionPool;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The benchmark command: rollback latency and deploy throughput of the engine over real sshd hosts on
 * loopback, each against a floor measured in the same run with the OpenSSH client doing the same work;
 * blue/green switch-back against the same floor; and rolling deploys against batch size, with the
 * all-at-once deploy as their baseline.
 * Run it with {@code mvn -q -Pbenchmark -pl engine verify} (see docs/benchmarks.md). It reads like the
 * report it writes:
 *
 * <ol>
 *   <li>start the hosts and warm up (a few untimed operations, so that the JIT and the page cache are
 *       settled);
 *   <li>rollback latency for each release size and number of hosts: r1 and r2 deployed, then round by
 *       round the floor (one {@code ssh} per host, in parallel, doing the switch) and the engine's
 *       rollback to r1, then both back to r2 (the engine by roll-forward), alternating which goes first
 *       so that noise hits both alike;
 *   <li>deploy throughput: a new release each round, deployed by the engine, against {@code scp} of the
 *       same file to every host in parallel; then the same release deployed again, once while it is live
 *       and once after a rollback (staged, not live);
 *   <li>blue/green switch-back: r1 and r2 deployed blue/green (one slot each), then round by round the
 *       same floor as the rollback latency and the engine's rollback to r1 (the live pointer only: the
 *       plan switches on every target, nothing is staged, no slot is pointed), then both back to r2;
 *   <li>rolling deploy against batch size: a new small release each round on every environment, one
 *       environment per batch size and one all at once (the baseline), in an order that turns round by
 *       round;
 *   <li>the report: Markdown tables on stdout, results.md, raw samples as CSV, and the plots.
 * </ol>
 */
final class Benchmark {
    private static final String ACTOR = "benchmark";
    private static final int MIB = 1024 * 1024;
    /** Hosts, and ledger lines on each, of the rollback on hosts with a long history. */
    private static final int AGED_HOSTS = 5;

    private static final int AGED_LEDGER_LINES = 50_000;

    private final BenchOptions options;
    private final SshServers hosts;
    private final Path work;
    private final CallTimes calls = new CallTimes();
    private final StageClock stages = new StageClock();
    private final DeploymentEngine engine;
    private final OpenSsh openSsh;
    private final Anatomy anatomy = new Anatomy();
    private final SplittableRandom random = new SplittableRandom(20240601);
    /** The connections of "warm" operations, kept between them as a Jenkins controller keeps them. */
    private final SshConnectionPool pool =
            new SshConnectionPool(SshConnectionPool.DEFAULT_MAX_IDLE, SshConnectionPool.DEFAULT_IDLE_EXPIRY);

    private Benchmark(BenchOptions options, SshServers hosts, Path work) throws IOException {
        this.options = options;
        this.hosts = hosts;
        this.work = work;
        this.engine = new DeploymentEngine(
                new FileHistoryStore(work.resolve("state/history")),
                new FileArtifactStore(work.resolve("state/artifacts")),
                stages,
                Clock.systemUTC());
        this.openSsh = new OpenSsh(work.resolve("openssh-logs"));
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.fromSystemProperties();
        MachineInfo machine = MachineInfo.now();
        log("Deploy Rollback benchmark: " + options.describe());
        log("Machine: " + machine.describe());
        if (machine.loadAverage() > machine.cores()) {
            log("WARNING: the load average (" + machine.loadAverage() + ") exceeds the " + machine.cores()
                    + " cores: other work is running, expect noisy numbers");
        }
        Path work = Files.createTempDirectory("deploy-rollback-bench-");
        Report report;
        try (SshServers servers = SshServers.start(work.resolve("hosts"), options.maxHosts())) {
            Benchmark benchmark = new Benchmark(options, servers, work);
            benchmark.warmUp();
            benchmark.connectionAnatomy();
            List<RollbackLatency> rollbacks = new ArrayList<>();
            for (int size : options.rollbackSizes()) {
                for (int count : options.hostCounts()) {
                    rollbacks.add(benchmark.rollbackLatency(count, size));
                }
            }
            List<AgedRollback> aged = List.of(benchmark.agedRollback(Math.min(AGED_HOSTS, options.maxHosts())));
            List<DeployThroughput> deploys = new ArrayList<>();
            for (int size : options.deploySizes()) {
                for (int count : options.deployHostCounts()) {
                    deploys.add(benchmark.deployThroughput(count, size));
                }
            }
            List<BlueGreenSwitch> blueGreens = new ArrayList<>();
            for (int count : options.blueGreenHosts()) {
                blueGreens.add(benchmark.blueGreenSwitch(count));
            }
            List<RollingRollout> rollings = List.of(benchmark.rollingRollout());
            benchmark.pool.close();
            report = new Report(
                    options,
                    machine,
                    machine.withLoadNow(),
                    rollbacks,
                    aged,
                    deploys,
                    blueGreens,
                    rollings,
                    benchmark.anatomy);
        } finally {
            if (options.keep()) {
                log("Kept the hosts' folders in " + work);
            } else {
                FileTrees.delete(work);
            }
        }
        report.write(options.out());
        System.out.println(report.markdown());
        log("Report written to " + options.out().toAbsolutePath().normalize());
    }

    // ---- warm up -------------------------------------------------------------------------------

    /** Untimed: a few deploys, rollbacks and OpenSSH runs, so that what is measured next is steady. */
    private void warmUp() throws IOException, InterruptedException {
        int count = Math.min(2, options.maxHosts());
        log("Warming up on " + count + " hosts");
        String name = "warmup";
        Environment environment = environment(name, count);
        List<SshServer> used = hosts.all().subList(0, count);
        List<String> floorRoots = floorRoots(used, name, "w1", "w2");
        Prepared w1 = release(name + "-w1", 1);
        Prepared w2 = release(name + "-w2", 1);
        deploy(environment, w1);
        deploy(environment, w2);
        for (int i = 0; i < 3; i++) {
            openSsh.runAll(floorCommands(used, floorRoots, "w1"));
            rollback(environment, w1.id());
            openSsh.runAll(floorCommands(used, floorRoots, "w2"));
            rollForward(environment, w2.id());
        }
        openSsh.runAll(scpCommands(used, w1.file(), name, 0));
        clean(used, name, List.of(w1, w2));
        calls.takeAll();
    }

    /** Untimed as an operation: what a new SSH connection costs against one more script on an open one. */
    private void connectionAnatomy() throws IOException, InterruptedException {
        log("Anatomy of an SSH session on " + hosts.get(0).name());
        anatomy.connection(hosts.get(0), openSsh, options.rounds());
    }

    // ---- rollback latency ----------------------------------------------------------------------

    private RollbackLatency rollbackLatency(int count, int sizeMib) throws IOException, InterruptedException {
        String name = "rollback-" + count + "h-" + sizeMib + "m";
        double load = MachineInfo.loadAverageNow();
        log("Rollback latency: " + count + (count == 1 ? " host, " : " hosts, ") + sizeMib + " MiB (load " + load
                + ")");
        Environment environment = environment(name, count);
        Environment warm = pooled(name, count);
        List<SshServer> used = hosts.all().subList(0, count);
        Prepared r1 = release(name + "-r1", sizeMib);
        Prepared r2 = release(name + "-r2", sizeMib);
        List<String> floorRoots =
                floorRoots(used, name, r1.id().value(), r2.id().value());
        deploy(environment, r1);
        deploy(warm, r2); // untimed; leaves the pool holding a connection to every host
        openSsh.runAll(floorCommands(used, floorRoots, r2.id().value()));

        Samples floor = new Samples();
        Breakdown back = new Breakdown();
        Breakdown forward = new Breakdown();
        Breakdown warmBack = new Breakdown();
        for (int round = 1; round <= options.rounds(); round++) {
            boolean floorFirst = round % 2 == 1;
            WithFloor backward = withFloor(
                    floorFirst, floorCommands(used, floorRoots, r1.id().value()), () -> rollback(environment, r1.id()));
            WithFloor onward = withFloor(
                    floorFirst,
                    floorCommands(used, floorRoots, r2.id().value()),
                    () -> rollForward(environment, r2.id()));
            long floorBack = backward.floor();
            long floorForward = onward.floor();
            Measured rollback = backward.measured();
            Measured rollForward = onward.measured();
            floor.add(floorBack);
            floor.add(floorForward);
            rollback.addTo(back);
            rollForward.addTo(forward);
            Measured warmRollback = rollback(warm, r1.id());
            warmRollback.addTo(warmBack);
            rollForward(warm, r2.id());
            log(String.format(
                    "  round %d: floor %.3f s / %.3f s, rollback %.3f s, roll-forward %.3f s, warm rollback %.3f s",
                    round,
                    floorBack / 1e9,
                    floorForward / 1e9,
                    rollback.seconds(),
                    rollForward.seconds(),
                    warmRollback.seconds()));
        }
        requireLive(used, name, r2.id());
        clean(used, name, List.of(r1, r2));
        return new RollbackLatency(count, sizeMib, load, floor, back, forward, warmBack);
    }

    /**
     * The rollback latency's measurement on hosts whose ledgers already hold {@link #AGED_LEDGER_LINES}
     * lines of earlier operations: a rollback must cost the same on a host with years of history.
     */
    private AgedRollback agedRollback(int count) throws IOException, InterruptedException {
        String name = "aged-" + count + "h";
        double load = MachineInfo.loadAverageNow();
        log("Rollback on hosts with a long ledger: " + count + " hosts, " + AGED_LEDGER_LINES + " lines each (load "
                + load + ")");
        Environment environment = environment(name, count);
        List<SshServer> used = hosts.all().subList(0, count);
        Prepared r1 = release(name + "-r1", BenchOptions.SMALL_MIB);
        Prepared r2 = release(name + "-r2", BenchOptions.SMALL_MIB);
        List<String> floorRoots =
                floorRoots(used, name, r1.id().value(), r2.id().value());
        deploy(environment, r1);
        deploy(environment, r2);
        long bytes = 0;
        for (SshServer host : used) {
            bytes = ageLedger(host.root().resolve(name).resolve(TargetLayout.LEDGER));
        }
        openSsh.runAll(floorCommands(used, floorRoots, r2.id().value()));
        Samples floor = new Samples();
        Breakdown back = new Breakdown();
        for (int round = 1; round <= options.rounds(); round++) {
            WithFloor backward = withFloor(
                    round % 2 == 1,
                    floorCommands(used, floorRoots, r1.id().value()),
                    () -> rollback(environment, r1.id()));
            floor.add(backward.floor());
            backward.measured().addTo(back);
            floor.add(openSsh.runAll(floorCommands(used, floorRoots, r2.id().value())));
            rollForward(environment, r2.id());
            log(String.format(
                    "  round %d: floor %.3f s, rollback %.3f s",
                    round, backward.floor() / 1e9, backward.measured().seconds()));
        }
        requireLive(used, name, r2.id());
        clean(used, name, List.of(r1, r2));
        return new AgedRollback(count, AGED_LEDGER_LINES, bytes, load, floor, back);
    }

    /** Puts {@link #AGED_LEDGER_LINES} lines of long-gone releases before what {@code ledger} holds; returns its size. */
    private static long ageLedger(Path ledger) throws IOException {
        StringBuilder lines = new StringBuilder();
        java.time.Instant start = java.time.Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < AGED_LEDGER_LINES; i++) {
            String event = i % 2 == 0 ? "stage" : "switch";
            lines.append("{\"at\":\"")
                    .append(start.plusSeconds(600L * i))
                    .append("\",\"event\":\"")
                    .append(event)
                    .append("\",\"environment\":\"production\",\"operation\":\"deploy\",\"actor\":\"jenkins\",")
                    .append("\"from\":\"build-")
                    .append(i)
                    .append("\",\"to\":\"build-")
                    .append(i + 1)
                    .append("\",\"detail\":\"1 file, 12.3 MB\"}\n");
        }
        lines.append(Files.readString(ledger));
        Files.writeString(ledger, lines.toString());
        return Files.size(ledger);
    }

    private Measured rollback(Environment environment, ReleaseId to) throws IOException {
        Measured measured = measure(() -> engine.rollback(
                environment, new ReturnRequest(new ReleaseSelector.ById(to), false, ACTOR, "benchmark")));
        measured.requireActions(TargetAction.SWITCH, "a rollback to a release still on the hosts switches only");
        return measured;
    }

    private Measured rollForward(Environment environment, ReleaseId to) throws IOException {
        Measured measured = measure(() -> engine.rollForward(
                environment, new ReturnRequest(new ReleaseSelector.ById(to), false, ACTOR, "benchmark")));
        measured.requireActions(TargetAction.SWITCH, "a roll-forward to a release still on the hosts switches only");
        return measured;
    }

    // ---- deploy throughput ---------------------------------------------------------------------

    private DeployThroughput deployThroughput(int count, int sizeMib) throws IOException, InterruptedException {
        String name = "deploy-" + count + "h-" + sizeMib + "m";
        double load = MachineInfo.loadAverageNow();
        log("Deploy throughput: " + count + (count == 1 ? " host, " : " hosts, ") + sizeMib + " MiB (load " + load
                + ")");
        Environment environment = environment(name, count);
        Environment warm = pooled(name, count);
        List<SshServer> used = hosts.all().subList(0, count);
        List<Prepared> made = new ArrayList<>();
        Prepared previous = release(name + "-base", 1);
        made.add(previous);
        deploy(environment, previous);

        DeployThroughput result = new DeployThroughput(count, sizeMib, load);
        for (int round = 1; round <= options.deployRounds(); round++) {
            Prepared next = release(name + "-d" + round, sizeMib);
            made.add(next);
            boolean scpFirst = round % 2 == 1;
            long scp = 0;
            if (scpFirst) {
                scp = openSsh.runAll(scpCommands(used, next.file(), name, round));
            }
            Measured first = deploy(environment, next);
            first.requireActions(TargetAction.STAGE, "a new release is transferred to every host");
            if (!scpFirst) {
                scp = openSsh.runAll(scpCommands(used, next.file(), name, round));
            }
            removeScpCopies(used, name, round);
            if (count == 1) {
                anatomy.transfer(used.get(0), next.release(), next.source(), next.file(), work);
            }

            Measured again = deploy(environment, next);
            if (again.result().changed()) {
                throw new IllegalStateException("Deploying the live " + next.id() + " again changed something");
            }
            rollback(environment, previous.id());
            Measured staged = deploy(environment, next);
            staged.requireActions(TargetAction.SWITCH, "a release still on the hosts is not transferred again");
            rollback(warm, previous.id());
            Measured stagedWarm = deploy(warm, next);
            stagedWarm.requireActions(TargetAction.SWITCH, "a release still on the hosts is not transferred again");

            result.add(next.readNanos(), first, scp, staged, again, stagedWarm);
            log(String.format(
                    "  round %d: read %.3f s, deploy %.3f s, scp %.3f s, redeploy staged %.3f s (warm %.3f s),"
                            + " redeploy live %.3f s",
                    round,
                    next.readNanos() / 1e9,
                    first.seconds(),
                    scp / 1e9,
                    staged.seconds(),
                    stagedWarm.seconds(),
                    again.seconds()));
            previous = next;
        }
        requireLive(used, name, previous.id());
        clean(used, name, made);
        return result;
    }

    private Measured deploy(Environment environment, Prepared release) throws IOException {
        return measure(() ->
                engine.deploy(environment, new DeployRequest(release.release(), release.source(), ACTOR, "benchmark")));
    }

    // ---- blue/green switch-back ----------------------------------------------------------------

    private BlueGreenSwitch blueGreenSwitch(int count) throws IOException, InterruptedException {
        int sizeMib = BenchOptions.SMALL_MIB;
        String name = "bluegreen-" + count + "h";
        double load = MachineInfo.loadAverageNow();
        log("Blue/green switch-back: " + count + (count == 1 ? " host, " : " hosts, ") + sizeMib + " MiB (load " + load
                + ")");
        Environment environment = environment(name, count).withStrategy(new Strategy.BlueGreen(0, 0));
        List<SshServer> used = hosts.all().subList(0, count);
        Prepared r1 = release(name + "-r1", sizeMib);
        Prepared r2 = release(name + "-r2", sizeMib);
        List<String> floorRoots =
                floorRoots(used, name, r1.id().value(), r2.id().value());
        deploy(environment, r1).requireActions(TargetAction.STAGE, "r1 is new to every host");
        deploy(environment, r2).requireActions(TargetAction.STAGE, "r2 is new to every host");
        requireSlots(used, name, r1.id(), r2.id());
        openSsh.runAll(floorCommands(used, floorRoots, r2.id().value()));

        Samples floor = new Samples();
        Breakdown back = new Breakdown();
        Breakdown forward = new Breakdown();
        for (int round = 1; round <= options.rounds(); round++) {
            boolean floorFirst = round % 2 == 1;
            WithFloor backward = withFloor(
                    floorFirst,
                    floorCommands(used, floorRoots, r1.id().value()),
                    () -> switchOnly(
                            () -> engine.rollback(
                                    environment,
                                    new ReturnRequest(new ReleaseSelector.ById(r1.id()), false, ACTOR, "benchmark")),
                            count,
                            "a blue/green rollback to the release on the other slot"));
            requireLive(used, name, r1.id());
            requireSlots(used, name, r1.id(), r2.id());
            WithFloor onward = withFloor(
                    floorFirst,
                    floorCommands(used, floorRoots, r2.id().value()),
                    () -> switchOnly(
                            () -> engine.rollForward(
                                    environment,
                                    new ReturnRequest(new ReleaseSelector.ById(r2.id()), false, ACTOR, "benchmark")),
                            count,
                            "a blue/green roll-forward to the release on the other slot"));
            requireLive(used, name, r2.id());
            long floorBack = backward.floor();
            long floorForward = onward.floor();
            Measured switchBack = backward.measured();
            Measured switchForward = onward.measured();
            requireSlots(used, name, r1.id(), r2.id());
            floor.add(floorBack);
            floor.add(floorForward);
            switchBack.addTo(back);
            switchForward.addTo(forward);
            log(String.format(
                    "  round %d: floor %.3f s / %.3f s, switch-back %.3f s, switch-forward %.3f s",
                    round, floorBack / 1e9, floorForward / 1e9, switchBack.seconds(), switchForward.seconds()));
        }
        clean(used, name, List.of(r1, r2));
        return new BlueGreenSwitch(count, sizeMib, load, floor, back, forward);
    }

    /** Runs a return to a release one slot holds; refuses it unless it moved only the live pointer. */
    private Measured switchOnly(Operation operation, int targets, String what) throws IOException {
        Measured measured = measure(operation);
        measured.requireActions(TargetAction.SWITCH, what + " switches only");
        if (!measured.staged().isEmpty()) {
            throw new IllegalStateException(what + " staged a release on " + measured.staged());
        }
        if (measured.byCall().containsKey(TimedTarget.POINT_SLOT)) {
            throw new IllegalStateException(what + " pointed a slot ("
                    + measured.byCall().get(TimedTarget.POINT_SLOT).count() + " times): the slots must stay");
        }
        measured.requireSwitches(targets);
        return measured;
    }

    /** Every host's two slots hold {@code a} and {@code b}, one each. */
    private static void requireSlots(List<SshServer> used, String name, ReleaseId a, ReleaseId b) throws IOException {
        for (SshServer host : used) {
            Set<String> held = new HashSet<>();
            for (String slot : Strategy.BlueGreen.SLOTS) {
                Path link = host.root().resolve(name).resolve(TargetLayout.slot(slot));
                held.add(
                        Files.isSymbolicLink(link)
                                ? Files.readSymbolicLink(link).toString()
                                : "(none)");
            }
            Set<String> expected = Set.of(TargetLayout.slotLinkTo(a), TargetLayout.slotLinkTo(b));
            if (!held.equals(expected)) {
                throw new IllegalStateException(
                        host.name() + "'s slots hold " + held + ", expected " + expected + ", one each");
            }
        }
    }

    // ---- rolling deploy against batch size -----------------------------------------------------

    /** Batch size 0 stands for all at once in this measurement. */
    private static final int ALL_AT_ONCE = 0;

    private RollingRollout rollingRollout() throws IOException, InterruptedException {
        int count = options.rollingHosts();
        int sizeMib = BenchOptions.SMALL_MIB;
        String name = "rolling-" + count + "h";
        double load = MachineInfo.loadAverageNow();
        log("Rolling deploy: " + count + (count == 1 ? " host, " : " hosts, ") + sizeMib + " MiB, all at once and"
                + " batches of " + options.batches() + " (load " + load + ")");
        List<SshServer> used = hosts.all().subList(0, count);
        List<Integer> variants = new ArrayList<>();
        variants.add(ALL_AT_ONCE);
        variants.addAll(options.batches());
        Map<Integer, Environment> environments = new LinkedHashMap<>();
        Map<Integer, Integer> steps = new LinkedHashMap<>();
        Map<Integer, List<Prepared>> made = new LinkedHashMap<>();
        for (int batch : variants) {
            Strategy strategy =
                    batch == ALL_AT_ONCE ? Strategy.ALL_AT_ONCE : new Strategy.Rolling(TargetCount.count(batch), 0);
            Environment environment =
                    environment(rollingName(name, batch), count).withStrategy(strategy);
            environments.put(batch, environment);
            if (batch != ALL_AT_ONCE) {
                steps.put(batch, strategy.waves(count).size());
            }
            // Untimed: a release live before the first measured deploy, as in any real rollout.
            Prepared base = release(rollingName(name, batch) + "-base", sizeMib);
            made.put(batch, new ArrayList<>(List.of(base)));
            deploy(environment, base);
        }
        RollingRollout result = new RollingRollout(count, sizeMib, load, options.batches(), steps);
        for (int round = 1; round <= options.rounds(); round++) {
            // Each round in another order, so that a drift in the machine's speed is spread over all.
            List<Integer> order = new ArrayList<>(variants);
            Collections.rotate(order, -((round - 1) % order.size()));
            StringBuilder line = new StringBuilder("  round " + round + ":");
            for (int batch : order) {
                Prepared next = release(rollingName(name, batch) + "-d" + round, sizeMib);
                made.get(batch).add(next);
                Measured deploy = deploy(environments.get(batch), next);
                deploy.requireActions(TargetAction.STAGE, "a new release is transferred to every host");
                deploy.requireSwitches(count);
                int expected = batch == ALL_AT_ONCE ? 1 : steps.get(batch);
                if (deploy.waves() != expected) {
                    throw new IllegalStateException("A deploy in batches of " + batch + " took " + deploy.waves()
                            + " steps, expected " + expected);
                }
                deploy.addTo(batch == ALL_AT_ONCE ? result.allAtOnce : result.rolling.get(batch));
                line.append(String.format(
                        " %s %.3f s,", batch == ALL_AT_ONCE ? "all at once" : "batch " + batch, deploy.seconds()));
            }
            line.setLength(line.length() - 1);
            log(line.toString());
        }
        for (int batch : variants) {
            List<Prepared> releases = made.get(batch);
            requireLive(
                    used,
                    rollingName(name, batch),
                    releases.get(releases.size() - 1).id());
            clean(used, rollingName(name, batch), releases);
        }
        return result;
    }

    private static String rollingName(String name, int batch) {
        return name + (batch == ALL_AT_ONCE ? "-all" : "-b" + batch);
    }

    // ---- measuring -----------------------------------------------------------------------------

    @FunctionalInterface
    private interface Operation {
        DeploymentResult run() throws IOException;
    }

    /** A timed operation of ours. */
    private interface Timed {
        Measured run() throws IOException;
    }

    /** One of our operations and the floor doing the same switch, in nanoseconds. */
    private record WithFloor(Measured measured, long floor) {}

    /**
     * Runs {@code ours} and the floor's {@code floorCommands}, the floor first when {@code floorFirst}:
     * rounds alternate the order, so that noise hits both alike.
     */
    private WithFloor withFloor(boolean floorFirst, List<List<String>> floorCommands, Timed ours)
            throws IOException, InterruptedException {
        long floor = floorFirst ? openSsh.runAll(floorCommands) : 0;
        Measured measured = ours.run();
        if (!floorFirst) {
            floor = openSsh.runAll(floorCommands);
        }
        return new WithFloor(measured, floor);
    }

    /** Runs {@code operation}, timing it whole, by stage and by call on the targets; it must succeed. */
    private Measured measure(Operation operation) throws IOException {
        calls.takeAll();
        calls.takeStaged();
        stages.start();
        long start = System.nanoTime();
        DeploymentResult result = operation.run();
        long nanos = System.nanoTime() - start;
        Map<String, Long> byStage = stages.finish();
        int waves = Math.max(1, stages.count("step"));
        Map<String, CallTimes.Total> byCall = calls.takeAll();
        Set<String> staged = calls.takeStaged();
        if (!result.succeeded()) {
            throw new IllegalStateException(result.operation().label() + " of " + result.release() + " ended "
                    + result.outcome() + ": " + result.cause());
        }
        return new Measured(nanos, result, byStage, byCall, staged, waves);
    }

    /**
     * One measured operation: how long it took, what it did, and where its time went.
     *
     * @param staged the targets a release was written to (transferred, not found there already)
     * @param waves the switch steps of the rollout: 1 when it went all at once
     */
    record Measured(
            long nanos,
            DeploymentResult result,
            Map<String, Long> byStage,
            Map<String, CallTimes.Total> byCall,
            Set<String> staged,
            int waves) {
        double seconds() {
            return nanos / 1e9;
        }

        void addTo(Breakdown breakdown) {
            breakdown.add(nanos, byStage, byCall);
        }

        /** Refuses a measurement that did other work than the one it stands for. */
        void requireActions(TargetAction expected, String because) {
            List<TargetStep> steps = result.plan().targets();
            if (steps.stream().anyMatch(s -> s.action() != expected)) {
                throw new IllegalStateException(
                        "Expected " + expected + " on every target (" + because + "), but the plan was: "
                                + String.join("; ", result.plan().describe()));
            }
        }

        /** Refuses a measurement that did not switch each of the {@code targets} targets exactly once. */
        void requireSwitches(int targets) {
            CallTimes.Total switches = byCall.get(TimedTarget.SWITCH);
            int made = switches == null ? 0 : switches.count();
            if (made != targets) {
                throw new IllegalStateException(
                        "Expected " + targets + " switches, one per target, but there were " + made);
            }
        }
    }

    // ---- hosts, environments, releases ---------------------------------------------------------

    /** An environment of the first {@code count} hosts, each with its own folder {@code name} under its root. */
    private Environment environment(String name, int count) {
        return environment(name, count, false);
    }

    /** The same environment with its connections kept in the benchmark's pool between operations. */
    private Environment pooled(String name, int count) {
        return environment(name, count, true);
    }

    private Environment environment(String name, int count, boolean pooled) {
        List<Target> targets = new ArrayList<>();
        for (SshServer host : hosts.all().subList(0, count)) {
            // The settings a user gets (SshSettings.DEFAULT), not the fixture's short test timeouts.
            SshTarget target = new SshTarget(
                    host.name(),
                    host.host(),
                    host.port(),
                    host.root().resolve(name).toString(),
                    host.credentials(),
                    HostKeyVerification.knownHosts(host.knownHostsLine()),
                    null);
            targets.add(new TimedTarget(pooled ? target.withPool(pool) : target, calls));
        }
        return new Environment(
                EnvironmentName.of(name),
                targets,
                List.of(),
                List.of(),
                List.of(),
                RetentionPolicy.DEFAULT,
                null,
                false,
                Map.of(),
                count);
    }

    /** A folder per host for the floor's switches, with empty release folders to point to. */
    private static List<String> floorRoots(List<SshServer> used, String name, String... releases) throws IOException {
        List<String> roots = new ArrayList<>();
        for (SshServer host : used) {
            Path root = host.root().resolve("floor-" + name);
            for (String release : releases) {
                Files.createDirectories(root.resolve("releases").resolve(release));
            }
            roots.add(root.toString());
        }
        return roots;
    }

    private static List<List<String>> floorCommands(List<SshServer> used, List<String> roots, String release) {
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < used.size(); i++) {
            commands.add(OpenSsh.switchCommand(used.get(i), roots.get(i), release));
        }
        return commands;
    }

    private static List<List<String>> scpCommands(List<SshServer> used, Path file, String name, int round)
            throws IOException {
        List<List<String>> commands = new ArrayList<>();
        for (SshServer host : used) {
            Path folder = Files.createDirectories(host.root().resolve("scp-" + name));
            commands.add(host.scpCommand(
                    file, folder.resolve("copy-" + round + ".bin").toString()));
        }
        return commands;
    }

    private static void removeScpCopies(List<SshServer> used, String name, int round) throws IOException {
        for (SshServer host : used) {
            Files.deleteIfExists(host.root().resolve("scp-" + name).resolve("copy-" + round + ".bin"));
        }
    }

    /** A release of one file of {@code sizeMib} MiB of random bytes (nothing to compress), read as a deploy reads it. */
    private Prepared release(String id, int sizeMib) throws IOException {
        Path folder = Files.createDirectories(work.resolve("releases").resolve(id));
        Path file = folder.resolve("app.bin");
        byte[] chunk = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < sizeMib; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        ArtifactSource source = ArtifactSource.of(folder);
        long start = System.nanoTime();
        ReleaseContent content = ReleaseReader.read(source);
        long readNanos = System.nanoTime() - start;
        Release release = new Release(ReleaseId.of(id), id, "benchmark", Set.of(), content);
        return new Prepared(release, source, file, readNanos);
    }

    /** A release ready to deploy, the file it consists of, and how long reading it (hashing) took. */
    private record Prepared(Release release, ArtifactSource source, Path file, long readNanos) {
        ReleaseId id() {
            return release.id();
        }
    }

    private static void requireLive(List<SshServer> used, String name, ReleaseId release) throws IOException {
        for (SshServer host : used) {
            Path current = host.root().resolve(name).resolve("current");
            String live = Files.readSymbolicLink(current).toString();
            if (!live.equals("releases/" + release)) {
                throw new IllegalStateException(host.name() + " serves " + live + ", expected releases/" + release);
            }
        }
    }

    /** Frees the disk: the hosts' folders of a measurement, its release folders and kept artifacts. */
    private void clean(List<SshServer> used, String name, List<Prepared> releases) throws IOException {
        for (SshServer host : used) {
            FileTrees.delete(host.root().resolve(name));
            FileTrees.delete(host.root().resolve("floor-" + name));
            FileTrees.delete(host.root().resolve("scp-" + name));
        }
        for (Prepared release : releases) {
            FileTrees.delete(work.resolve("releases").resolve(release.id().value()));
            FileTrees.delete(
                    work.resolve("state/artifacts").resolve(release.id().value()));
        }
    }

    static void log(String line) {
        System.err.println(line);
    }
}

package io.jenkins.plugins.deployrollback.engine.bench;

/**
 * Deploy throughput on {@code hosts} hosts for a new release of {@code sizeMib} each round, against
 * {@code scp} of the same file to every host at once; and redeploys of the same release.
 */
final class DeployThroughput {
    /** The target: at least this fraction of scp's throughput. */
    static final double TARGET = 0.8;

    /** The target for a redeploy of a release already staged: at most this fraction of the first deploy. */
    static final double REDEPLOY_TARGET = 0.10;

    final int hosts;
    final int sizeMib;
    final double load;
    /** Reading the release (walking it and computing every SHA-256), as a front end does before deploying. */
    final Samples read = new Samples();
    /** The first deploy of the release: DeploymentEngine.deploy alone. */
    final Breakdown deploy = new Breakdown();
    /** The first deploy with the reading before it: what a user waits for. */
    final Samples readAndDeploy = new Samples();

    final Samples scp = new Samples();
    /** Deploying it again after a rollback: staged on every host, not live. */
    final Breakdown redeployStaged = new Breakdown();
    /** The same on connections kept from the operation before, as a long-lived Jenkins controller runs it. */
    final Breakdown redeployStagedWarm = new Breakdown();
    /** Deploying it again while it is live: nothing to do. */
    final Breakdown redeployLive = new Breakdown();

    DeployThroughput(int hosts, int sizeMib, double load) {
        this.hosts = hosts;
        this.sizeMib = sizeMib;
        this.load = load;
    }

    void add(
            long readNanos,
            Benchmark.Measured first,
            long scpNanos,
            Benchmark.Measured staged,
            Benchmark.Measured live,
            Benchmark.Measured stagedWarm) {
        read.add(readNanos);
        first.addTo(deploy);
        readAndDeploy.add(readNanos + first.nanos());
        scp.add(scpNanos);
        staged.addTo(redeployStaged);
        live.addTo(redeployLive);
        stagedWarm.addTo(redeployStagedWarm);
    }

    /** Bytes delivered in one round: the release to every host. */
    double bytes() {
        return (double) hosts * sizeMib * 1024 * 1024;
    }

    /** MiB per second delivered, over all hosts, at the median of {@code samples}. */
    double mibPerSecond(double medianSeconds) {
        return bytes() / (1024 * 1024) / medianSeconds;
    }

    /** Our throughput over scp's (higher is better): scp's time over ours. */
    double ratio() {
        return scp.median() / deploy.wall().median();
    }

    double ratioWithRead() {
        return scp.median() / readAndDeploy.median();
    }

    double redeployStagedShare() {
        return redeployStaged.wall().median() / deploy.wall().median();
    }

    double redeployStagedWarmShare() {
        return redeployStagedWarm.wall().median() / deploy.wall().median();
    }

    double redeployLiveShare() {
        return redeployLive.wall().median() / deploy.wall().median();
    }
}

package io.jenkins.plugins.deployrollback;

import io.jenkins.plugins.deployrollback.config.ApprovalCheckSpec;
import io.jenkins.plugins.deployrollback.config.BlueGreenStrategySpec;
import io.jenkins.plugins.deployrollback.config.CanaryCheckSpec;
import io.jenkins.plugins.deployrollback.config.CanaryStrategySpec;
import io.jenkins.plugins.deployrollback.config.CommandCheckSpec;
import io.jenkins.plugins.deployrollback.config.GateSpec;
import io.jenkins.plugins.deployrollback.config.HookSpec;
import io.jenkins.plugins.deployrollback.config.HttpCheckSpec;
import io.jenkins.plugins.deployrollback.config.HttpLatencySourceSpec;
import io.jenkins.plugins.deployrollback.config.PrometheusCheckSpec;
import io.jenkins.plugins.deployrollback.config.PrometheusRangeSourceSpec;
import io.jenkins.plugins.deployrollback.config.RollingStrategySpec;
import io.jenkins.plugins.deployrollback.steps.DeployStep;
import io.jenkins.plugins.deployrollback.steps.RollForwardStep;
import io.jenkins.plugins.deployrollback.steps.RollbackStep;
import io.jenkins.plugins.deployrollback.steps.VerifyGateStep;
import java.util.List;

/** Steps configured the way a real Pipeline would, every kind of hook, gate and check included. */
final class SampleSteps {
    static final String KNOWN_HOSTS =
            "web-1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    private SampleSteps() {}

    /** A deploy to two hosts with a migration hook and an HTTP health gate. */
    static DeployStep deployToHosts() {
        DeployStep step = new DeployStep("prod", "dist/app.tar.gz");
        step.setHosts(List.of("web-1", "web-2:2222"));
        step.setPath("/srv/app");
        step.setCredentialsId("deploy-key");
        step.setKnownHosts(KNOWN_HOSTS);
        step.setRelease("2026.08.21-42");
        step.setVersion("1.4.0");
        step.setFacts(List.of("schemaMigration"));
        step.setReason("ticket OPS-7");
        step.setKeepReleases(3);

        HookSpec migrate = new HookSpec("migrate", "./migrate.sh", "beforeSwitch", "deploy");
        migrate.setTimeoutSeconds(600);
        step.setHooks(List.of(migrate));

        HttpCheckSpec up = new HttpCheckSpec("up", "https://app.example.com/health");
        up.setRequests(20);
        up.setMaxErrorRate(1.0);
        up.setMaxP95Millis(300);
        GateSpec health = new GateSpec("health");
        health.setChecks(List.of(up));
        health.setSamples(3);
        health.setIntervalSeconds(5);
        step.setGates(List.of(health));
        return step;
    }

    /** A verify whose gate has a command, a Prometheus and an approval check, rolling back on FAIL. */
    static VerifyGateStep verifyWithEveryKindOfCheck() {
        CommandCheckSpec smokeTest = new CommandCheckSpec("smoke-test", "./smoke-test.sh");
        smokeTest.setWhere("targets");
        smokeTest.setDryRun(true);
        PrometheusCheckSpec errors =
                new PrometheusCheckSpec("errors", "http://prometheus:9090", "sum(rate(http_errors_total[1m]))");
        errors.setMax(0.5);
        ApprovalCheckSpec signOff = new ApprovalCheckSpec("sign-off");
        GateSpec smoke = new GateSpec("smoke");
        smoke.setChecks(List.of(smokeTest, errors, signOff));
        smoke.setFailureLimit(1);
        smoke.setInitialDelaySeconds(30);

        VerifyGateStep step = new VerifyGateStep("staging");
        step.setGates(List.of(smoke));
        step.setRollbackOnFail(true);
        step.setFailBuild(false);
        return step;
    }

    /** A verify whose only check is alice's approval. */
    static VerifyGateStep verifyWithApproval() {
        ApprovalCheckSpec ok = new ApprovalCheckSpec("ok");
        ok.setApprovers("alice");
        ok.setQuestion("Keep it live?");
        ok.setTimeoutMinutes(30);
        GateSpec signOff = new GateSpec("sign-off");
        signOff.setChecks(List.of(ok));
        VerifyGateStep step = new VerifyGateStep("prod");
        step.setGates(List.of(signOff));
        return step;
    }

    /**
     * A verify whose gate compares the new release with the old one twice: latencies of a host on each
     * (only the canary's source changed from its defaults), and throughput since the gate started
     * against the same query before it, as a dry run with every option of the check given.
     */
    static VerifyGateStep verifyWithCanaryChecks() {
        HttpLatencySourceSpec web1 = new HttpLatencySourceSpec("http://web-1:8080/api");
        web1.setRequests(100);
        web1.setRequestIntervalMillis(20);
        web1.setTimeoutSeconds(2);
        CanaryCheckSpec latency =
                new CanaryCheckSpec("latency", web1, new HttpLatencySourceSpec("http://web-2:8080/api"));

        String query = "sum(rate(http_requests_total[1m]))";
        PrometheusRangeSourceSpec before = new PrometheusRangeSourceSpec("http://prometheus:9090", query);
        before.setPeriod("beforeGate");
        before.setStepSeconds(30);
        before.setTimeoutSeconds(20);
        CanaryCheckSpec throughput = new CanaryCheckSpec(
                "throughput", new PrometheusRangeSourceSpec("http://prometheus:9090", query), before);
        throughput.setWorse("lower");
        throughput.setConfidence(0.99);
        throughput.setAllowedEffectPercent(10);
        throughput.setMinSamples(20);
        throughput.setDryRun(true);

        GateSpec canary = new GateSpec("canary");
        canary.setChecks(List.of(latency, throughput));
        VerifyGateStep step = new VerifyGateStep("prod");
        step.setGates(List.of(canary));
        return step;
    }

    /** A deploy in batches of a quarter of the targets, going on past one failed target. */
    static DeployStep deployRolling() {
        RollingStrategySpec rolling = new RollingStrategySpec("25%");
        rolling.setMaxFailedTargets(1);
        DeployStep step = new DeployStep("prod", "app");
        step.setStrategy(rolling);
        return step;
    }

    /**
     * A deploy to one host, then half, then all, whose canary check compares the hosts switched with
     * the others ({@code {host}} URLs).
     */
    static DeployStep deployCanary() {
        GateSpec latency = new GateSpec("latency");
        latency.setChecks(List.of(new CanaryCheckSpec(
                "latency",
                new HttpLatencySourceSpec("http://{host}:8080/api"),
                new HttpLatencySourceSpec("http://{host}:8080/api"))));
        DeployStep step = new DeployStep("prod", "app");
        step.setStrategy(new CanaryStrategySpec(List.of("1", "50%")));
        step.setGates(List.of(latency));
        return step;
    }

    /** A rollback naming the environment and the blue/green slots' ports. */
    static RollbackStep rollbackBlueGreen() {
        BlueGreenStrategySpec blueGreen = new BlueGreenStrategySpec();
        blueGreen.setBluePort(8081);
        blueGreen.setGreenPort(8082);
        RollbackStep step = new RollbackStep("prod");
        step.setStrategy(blueGreen);
        return step;
    }

    /** A forced rollback to what build 41 deployed, with its reason. */
    static RollbackStep rollbackToBuild() {
        RollbackStep step = new RollbackStep("prod");
        step.setToBuild(41);
        step.setForce(true);
        step.setReason("checkout errors");
        return step;
    }

    /** A roll-forward to release r3 that returns its result rather than failing. */
    static RollForwardStep rollForwardToRelease() {
        RollForwardStep step = new RollForwardStep("prod");
        step.setToRelease("r3");
        step.setFailBuild(false);
        return step;
    }
}

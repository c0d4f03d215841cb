package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.config.AllAtOnceStrategySpec;
import io.jenkins.plugins.deployrollback.config.CanaryStrategySpec;
import io.jenkins.plugins.deployrollback.config.RollingStrategySpec;
import io.jenkins.plugins.deployrollback.steps.DeployStep;
import io.jenkins.plugins.deployrollback.steps.RollForwardStep;
import io.jenkins.plugins.deployrollback.steps.RollbackStep;
import io.jenkins.plugins.deployrollback.steps.VerifyGateStep;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * What the Snippet Generator writes for each step ({@link Snippetizer#object2Groovy}), and that the
 * step's arguments, nested hooks, gates and checks included, come back as an equal step through the
 * same data binding a Pipeline script uses ({@link DescribableModel}).
 */
public class SnippetizerTest {
    @Rule
    public JenkinsRule j = new JenkinsRule();

    private final Snippets snippets = new Snippets();

    /** The two halves of a Snippet Generator round trip. */
    private final class Snippets {
        void assertRoundTrip(Step step, String expected) throws Exception {
            assertThat(Snippetizer.object2Groovy(step)).isEqualTo(expected);
            j.assertEqualDataBoundBeans(step, bound(step));
        }

        private <S extends Step> S bound(S step) throws Exception {
            @SuppressWarnings("unchecked")
            Class<S> type = (Class<S>) step.getClass();
            return DescribableModel.uninstantiate2_(step).instantiate(type);
        }
    }

    @Test
    public void deployWritesOnlyTheRequiredArgumentsWhenTheRestIsDefault() throws Exception {
        snippets.assertRoundTrip(new DeployStep("prod", "app"), "deploy artifacts: 'app', environment: 'prod'");
    }

    @Test
    public void deployWritesHostsHooksAndGatesWithTheirSymbols() throws Exception {
        snippets.assertRoundTrip(
                SampleSteps.deployToHosts(),
                "deploy artifacts: 'dist/app.tar.gz', credentialsId: 'deploy-key', environment: 'prod',"
                        + " facts: ['schemaMigration'],"
                        + " gates: [gate(checks: [httpCheck(maxErrorRate: 1.0, maxP95Millis: 300, name: 'up',"
                        + " requests: 20, url: 'https://app.example.com/health')], intervalSeconds: 5,"
                        + " name: 'health', samples: 3)],"
                        + " hooks: [hook(command: './migrate.sh', name: 'migrate', phase: 'beforeSwitch',"
                        + " runOn: 'deploy', timeoutSeconds: 600)],"
                        + " hosts: ['web-1', 'web-2:2222'], keepReleases: 3, knownHosts: '"
                        + SampleSteps.KNOWN_HOSTS + "', path: '/srv/app', reason: 'ticket OPS-7',"
                        + " release: '2026.08.21-42', version: '1.4.0'");
    }

    @Test
    public void deployWritesARollingStrategyWithItsSymbol() throws Exception {
        snippets.assertRoundTrip(
                SampleSteps.deployRolling(),
                "deploy artifacts: 'app', environment: 'prod', strategy: rolling(batch: '25%', maxFailedTargets: 1)");
    }

    @Test
    public void deployWritesACanaryStrategyAndHostUrls() throws Exception {
        snippets.assertRoundTrip(
                SampleSteps.deployCanary(),
                "deploy artifacts: 'app', environment: 'prod', gates: [gate(checks: ["
                        + "canaryCheck(baseline: httpLatency('http://{host}:8080/api'),"
                        + " canary: httpLatency('http://{host}:8080/api'), name: 'latency')], name: 'latency')],"
                        + " strategy: canary(['1', '50%'])");
    }

    @Test
    public void rollbackWritesABlueGreenStrategyWithItsPorts() throws Exception {
        snippets.assertRoundTrip(
                SampleSteps.rollbackBlueGreen(),
                "rollback environment: 'prod', strategy: blueGreen(bluePort: 8081, greenPort: 8082)");
    }

    @Test
    public void allAtOnceIsTheDefaultAndLeftOut() throws Exception {
        DeployStep deploy = new DeployStep("prod", "app");
        deploy.setStrategy(new AllAtOnceStrategySpec());

        snippets.assertRoundTrip(deploy, "deploy artifacts: 'app', environment: 'prod'");
    }

    @Test
    public void verifyGateNamingTheEnvironmentAloneIsOneArgument() throws Exception {
        snippets.assertRoundTrip(new VerifyGateStep("prod"), "verifyGate 'prod'");
    }

    @Test
    public void verifyGateWritesEveryKindOfCheck() throws Exception {
        snippets.assertRoundTrip(
                SampleSteps.verifyWithEveryKindOfCheck(),
                "verifyGate environment: 'staging', failBuild: false,"
                        + " gates: [gate(checks: [commandCheck(command: './smoke-test.sh', dryRun: true,"
                        + " name: 'smoke-test', where: 'targets'), prometheusCheck(max: 0.5, name: 'errors',"
                        + " query: 'sum(rate(http_errors_total[1m]))', server: 'http://prometheus:9090'),"
                        + " approvalCheck('sign-off')], failureLimit: 1, initialDelaySeconds: 30,"
                        + " name: 'smoke')], rollbackOnFail: true");
    }

    @Test
    public void verifyGateWritesAnApprovalWithItsApprovers() throws Exception {
        snippets.assertRoundTrip(
                SampleSteps.verifyWithApproval(),
                "verifyGate environment: 'prod', gates: [gate(checks: [approvalCheck(approvers: 'alice',"
                        + " name: 'ok', question: 'Keep it live?', timeoutMinutes: 30)], name: 'sign-off')]");
    }

    @Test
    public void verifyGateWritesCanaryChecksWithBothKindsOfSourceLeavingDefaultsOut() throws Exception {
        snippets.assertRoundTrip(
                SampleSteps.verifyWithCanaryChecks(),
                "verifyGate environment: 'prod', gates: [gate(checks: ["
                        + "canaryCheck(baseline: httpLatency('http://web-2:8080/api'),"
                        + " canary: httpLatency(requestIntervalMillis: 20, requests: 100, timeoutSeconds: 2,"
                        + " url: 'http://web-1:8080/api'), name: 'latency'),"
                        + " canaryCheck(allowedEffectPercent: 10.0,"
                        + " baseline: prometheusRange(period: 'beforeGate', query: 'sum(rate(http_requests_total[1m]))',"
                        + " server: 'http://prometheus:9090', stepSeconds: 30, timeoutSeconds: 20),"
                        + " canary: prometheusRange(query: 'sum(rate(http_requests_total[1m]))',"
                        + " server: 'http://prometheus:9090'),"
                        + " confidence: 0.99, dryRun: true, minSamples: 20, name: 'throughput', worse: 'lower')],"
                        + " name: 'canary')]");
    }

    @Test
    public void rollbackNamingTheEnvironmentAloneIsOneArgument() throws Exception {
        snippets.assertRoundTrip(new RollbackStep("prod"), "rollback 'prod'");
    }

    @Test
    public void rollbackWritesItsTargetBuildForceAndReason() throws Exception {
        snippets.assertRoundTrip(
                SampleSteps.rollbackToBuild(),
                "rollback environment: 'prod', force: true, reason: 'checkout errors', toBuild: 41");
    }

    @Test
    public void rollForwardNamingTheEnvironmentAloneIsOneArgument() throws Exception {
        snippets.assertRoundTrip(new RollForwardStep("prod"), "rollForward 'prod'");
    }

    @Test
    public void rollForwardWritesItsTargetRelease() throws Exception {
        snippets.assertRoundTrip(
                SampleSteps.rollForwardToRelease(),
                "rollForward environment: 'prod', failBuild: false, toRelease: 'r3'");
    }

    @Test
    public void theFormsHostsAndFactsTextAreasBecomeListsOneValuePerLine() throws Exception {
        assertThat(generateSnippet("""
                        {"stapler-class": "%s", "environment": "prod", "artifacts": "app", "path": "/srv/app",
                         "hosts": "web-1\\n\\n  web-2:2222  \\r\\n", "facts": "schemaMigration\\n"}
                        """.formatted(DeployStep.class.getName())))
                .isEqualTo("deploy artifacts: 'app', environment: 'prod', facts: ['schemaMigration'],"
                        + " hosts: ['web-1', 'web-2:2222'], path: '/srv/app'");
    }

    @Test
    public void emptyTextAreasGiveNoHostsAndNoFactsRatherThanOneEmptyValue() throws Exception {
        assertThat(generateSnippet("""
                        {"stapler-class": "%s", "environment": "prod", "artifacts": "app", "path": "target-dir",
                         "hosts": "", "facts": " "}
                        """.formatted(DeployStep.class.getName())))
                .isEqualTo("deploy artifacts: 'app', environment: 'prod', path: 'target-dir'");
        assertThat(generateSnippet("""
                        {"stapler-class": "%s", "environment": "prod", "hosts": ""}
                        """.formatted(RollbackStep.class.getName()))).isEqualTo("rollback 'prod'");
    }

    @Test
    public void theFormsStrategyIsTheChosenOneWithTheCanaryStepsOnePerLine() throws Exception {
        assertThat(generateSnippet("""
                        {"stapler-class": "%s", "environment": "prod", "artifacts": "app",
                         "strategy": {"stapler-class": "%s", "steps": "1\\n\\n  50%%  \\r\\n100%%\\n"}}
                        """.formatted(DeployStep.class.getName(), CanaryStrategySpec.class.getName())))
                .isEqualTo("deploy artifacts: 'app', environment: 'prod', strategy: canary(['1', '50%', '100%'])");
        assertThat(generateSnippet("""
                        {"stapler-class": "%s", "environment": "prod",
                         "strategy": {"stapler-class": "%s", "batch": "2", "maxFailedTargets": "0"}}
                        """.formatted(RollbackStep.class.getName(), RollingStrategySpec.class.getName())))
                .isEqualTo("rollback environment: 'prod', strategy: rolling('2')");
    }

    @Test
    public void theFormsAllAtOnceStrategyIsLeftOut() throws Exception {
        assertThat(generateSnippet("""
                        {"stapler-class": "%s", "environment": "prod",
                         "strategy": {"stapler-class": "%s"}}
                        """.formatted(RollbackStep.class.getName(), AllAtOnceStrategySpec.class.getName())))
                .isEqualTo("rollback 'prod'");
    }

    /** What the Snippet Generator's "Generate Pipeline Script" button answers for the form {@code json}. */
    private String generateSnippet(String json) throws Exception {
        JenkinsRule.WebClient client = j.createWebClient();
        WebRequest request = new WebRequest(new URL(j.getURL(), "pipeline-syntax/generateSnippet"), HttpMethod.POST);
        request.setRequestParameters(new ArrayList<>(List.of(new NameValuePair("json", json))));
        client.addCrumb(request);
        WebResponse response = client.getPage(request).getWebResponse();
        assertThat(response.getContentType()).isEqualTo("text/plain");
        return response.getContentAsString().trim();
    }
}

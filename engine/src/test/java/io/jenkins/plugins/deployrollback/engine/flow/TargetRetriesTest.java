package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.history.TargetReport;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.RetryPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.Retrying;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A target that retries a step after a passing failure tells the flow so, and the retries go into
 * the target's report in the history. The network that drops connections is a stand-in: a local
 * target whose transfers fail with "connection reset" a given number of times, retried the way a
 * remote target retries them.
 */
public class TargetRetriesTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Stack stack;

    @Before
    public void setUp() throws Exception {
        stack = new Stack(temp.getRoot().toPath(), 3);
        stack.deployHealthy("r1");
    }

    @After
    public void tearDown() {
        stack.close();
    }

    /** The stack's environment with web-2 behind a link that resets the first {@code resets} transfers. */
    private Environment withFlakyWeb2(int resets) {
        Environment environment = stack.environment();
        List<Target> targets = new ArrayList<>(environment.targets());
        targets.set(1, new FlakyTarget((LocalTarget) targets.get(1), resets));
        return new Environment(
                environment.name(),
                targets,
                environment.hooks(),
                environment.gates(),
                environment.shared(),
                environment.retention(),
                environment.lockTimeout(),
                environment.autoRollback(),
                environment.variables(),
                environment.concurrency(),
                environment.gatePolicy());
    }

    private DeploymentResult deployR2(Environment environment) throws IOException {
        ReleaseFolders.Prepared r2 = stack.releases.healthy("r2");
        return stack.engine.deploy(environment, new DeployRequest(r2.release(), r2.source(), "tester", null));
    }

    private static TargetReport web2(DeploymentRecord record) {
        return record.targets().get(1);
    }

    @Test
    public void retryThatSucceedsIsRecordedInTheTargetsReport() throws Exception {
        DeploymentResult result = deployR2(withFlakyWeb2(1));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(web2(result.record()).target()).isEqualTo("web-2");
        assertThat(web2(result.record()).steps())
                .containsSubsequence("retry 1 of 2 of stage: connection reset", "staged r2");
        assertThat(stack.engine
                        .history(stack.name)
                        .latest()
                        .orElseThrow()
                        .targets()
                        .get(1)
                        .steps())
                .contains("retry 1 of 2 of stage: connection reset");
        assertThat(stack.progress.warnings())
                .contains("WARNING web-2: stage failed (connection reset); retry 1 of 2 in 0 ms");
        assertThat(result.record().targets().get(0).steps()).noneMatch(s -> s.startsWith("retry"));
    }

    @Test
    public void failureThatOutlastsTheRetriesSaysHowManyAttemptsWereMade() throws Exception {
        DeploymentResult result = deployR2(withFlakyWeb2(3));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.cause())
                .startsWith("Staging r2 failed on 1 of 3 targets: web-2: connection reset (after 3 attempts).");
        assertThat(web2(result.record()).steps())
                .contains("retry 1 of 2 of stage: connection reset", "retry 2 of 2 of stage: connection reset");
        assertThat(web2(result.record()).error()).isEqualTo("staging r2 failed: connection reset (after 3 attempts)");
        for (int i = 0; i < 3; i++) {
            assertThat(stack.live(i)).isEqualTo("releases/r1");
        }
    }

    /** A local target reached over a link that resets the first transfers; the stage is retried. */
    private static final class FlakyTarget implements Target {
        private final LocalTarget target;
        private final AtomicInteger resets;

        FlakyTarget(LocalTarget target, int resets) {
            this.target = target;
            this.resets = new AtomicInteger(resets);
        }

        @Override
        public String name() {
            return target.name();
        }

        @Override
        public TargetSession open(OperationContext context) {
            TargetSession session = target.open(context);
            return new TargetSession() {
                @Override
                public String target() {
                    return session.target();
                }

                @Override
                public TargetState inspect() throws IOException {
                    return session.inspect();
                }

                @Override
                public TargetLock lock(String purpose, Duration ttl, String forcedBy) throws IOException {
                    return session.lock(purpose, ttl, forcedBy);
                }

                @Override
                public boolean stage(Release release, ArtifactSupplier source, List<SharedPath> shared)
                        throws IOException {
                    return Retrying.call(
                            new RetryPolicy(3, Duration.ZERO, Duration.ZERO),
                            e -> e.getMessage().equals("connection reset"),
                            (retry, attempts, cause, delay) -> context.progress()
                                    .retrying(name(), "stage", retry, attempts, cause.getMessage(), delay),
                            delay -> {},
                            () -> {
                                if (resets.getAndDecrement() > 0) {
                                    throw new IOException("connection reset");
                                }
                                return session.stage(release, source, shared);
                            });
                }

                @Override
                public void pointSlot(String slot, ReleaseId release) throws IOException {
                    session.pointSlot(slot, release);
                }

                @Override
                public void switchTo(ReleaseId release) throws IOException {
                    session.switchTo(release);
                }

                @Override
                public HookRun runHook(
                        Hook hook,
                        HookMode mode,
                        ReleaseId release,
                        Map<String, String> variables,
                        Consumer<String> output)
                        throws IOException {
                    return session.runHook(hook, mode, release, variables, output);
                }

                @Override
                public void archiveFailed(ReleaseId release, int keepFailed) throws IOException {
                    session.archiveFailed(release, keepFailed);
                }

                @Override
                public void remove(ReleaseId release) throws IOException {
                    session.remove(release);
                }

                @Override
                public List<LedgerEntry> ledger() throws IOException {
                    return session.ledger();
                }

                @Override
                public io.jenkins.plugins.deployrollback.engine.targets.ReleaseIntegrity verifyRelease(
                        ReleaseId release) throws IOException {
                    return session.verifyRelease(release);
                }

                @Override
                public void close() throws IOException {
                    session.close();
                }
            };
        }
    }
}

package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;

/** Running sandboxed Pipelines that deploy, and reading what they left on a target. */
final class Pipelines {
    /** Longer than any operation here takes, shorter than JenkinsRule's own timeout. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private Pipelines() {}

    /** Starts {@code script} (sandboxed) as the next build of {@code job}; returns once it runs. */
    static WorkflowRun start(WorkflowJob job, String script) throws Exception {
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job.scheduleBuild2(0).waitForStart();
    }

    /** Runs {@code script} (sandboxed) as the next build of {@code job}; returns it once finished. */
    static WorkflowRun run(JenkinsRule j, WorkflowJob job, String script) throws Exception {
        return j.waitForCompletion(start(job, script));
    }

    /** Runs {@code script} as the next build of {@code job} and asserts that it succeeds. */
    static WorkflowRun succeed(JenkinsRule j, WorkflowJob job, String script) throws Exception {
        return j.assertBuildStatusSuccess(run(j, job, script));
    }

    /** The Pipeline step that writes release {@code id} as a folder of that name in the workspace. */
    static String writeRelease(String id) {
        return "writeFile file: '" + id + "/index.html', text: 'release " + id + "'";
    }

    /** The workspace of {@code job} on the built-in node, where its Pipelines' {@code node} blocks run. */
    static Path workspace(JenkinsRule j, WorkflowJob job) {
        return Path.of(j.jenkins.getWorkspaceFor(job).getRemote());
    }

    /** The release {@code root/current} points to, by its folder's name. */
    static String live(Path root) throws IOException {
        Path current = root.resolve("current");
        assertThat(current).as("the current link of " + root).isSymbolicLink();
        Path release = current.toRealPath();
        assertThat(release.getParent()).isEqualTo(root.resolve("releases").toRealPath());
        return release.getFileName().toString();
    }

    /** The text of release {@code id}'s index as it lies in its folder under {@code root}. */
    static String index(Path root, String id) throws IOException {
        return Files.readString(root.resolve("releases").resolve(id).resolve("index.html"));
    }

    /**
     * Returns once {@code condition} holds, failing after a while. For work that runs on a thread of
     * its own with nothing to wait on but its effects (a button-started rollback).
     */
    static void awaitUntil(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Still not " + what + " after " + PATIENCE.toSeconds() + " s");
            }
            Thread.sleep(20); // polling the condition's state, not waiting for time to pass
        }
    }
}

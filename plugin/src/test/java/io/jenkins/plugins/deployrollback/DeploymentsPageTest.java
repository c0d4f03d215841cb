package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Run;
import java.util.ArrayList;
import java.util.List;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

public class DeploymentsPageTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void pageListsEachEnvironmentWithItsLiveReleaseAndHistoryRowsLinkedToTheBuilds() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        WorkflowRun first = deploy(job, "r1");
        WorkflowRun second = deploy(job, "r2");
        WorkflowRun rollback = Pipelines.succeed(j, job, """
                node {
                  rollback(environment: 'prod')
                }
                """);

        HtmlPage page = j.createWebClient().getPage(job, "deployments");

        DomElement main = page.getElementById("main-panel");
        assertThat(main).as("the page's main panel").isNotNull();
        assertThat(main.asNormalizedText())
                .contains("prod")
                .contains("r1")
                .contains("r2")
                .containsIgnoringCase("rollback");
        assertThat(linkedBuilds(page, main, job)).contains(first.getUrl(), second.getUrl(), rollback.getUrl());
    }

    private WorkflowRun deploy(WorkflowJob job, String id) throws Exception {
        return Pipelines.succeed(j, job, """
                node {
                  %s
                  deploy(environment: 'prod', artifacts: '%s', release: '%s', path: 'target-dir')
                }
                """.formatted(Pipelines.writeRelease(id), id, id));
    }

    /** The builds of {@code job} that links in {@code panel} lead to (the build's page or one of its pages). */
    private List<String> linkedBuilds(HtmlPage page, DomElement panel, WorkflowJob job) throws Exception {
        String root = j.getURL().toString();
        List<String> linked = new ArrayList<>();
        for (HtmlElement anchor : panel.getElementsByTagName("a")) {
            String target =
                    page.getFullyQualifiedUrl(anchor.getAttribute("href")).toString();
            for (Run<?, ?> build : job.getBuilds()) {
                String url = root + build.getUrl();
                if (target.startsWith(url) || (target + "/").equals(url)) {
                    linked.add(build.getUrl());
                }
            }
        }
        return linked;
    }
}

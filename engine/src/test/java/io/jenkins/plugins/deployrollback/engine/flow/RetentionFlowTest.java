package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RetentionFlowTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Stack stack;

    @Before
    public void setUp() throws Exception {
        stack = new Stack(temp.getRoot().toPath(), 1);
        stack.retention = new RetentionPolicy(1, 1);
    }

    @After
    public void tearDown() {
        stack.close();
    }

    private Stream<String> releasesOnTarget() throws Exception {
        try (Stream<Path> folders = Files.list(stack.root().resolve("releases"))) {
            return folders.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    public void retentionKeepsTheLiveAndPreviousReleasesEvenWhenKeepingOnlyOne() throws Exception {
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");
        stack.deployHealthy("r3");

        assertThat(releasesOnTarget()).containsExactly("r2", "r3");
    }

    @Test
    public void retentionKeepsTheLastKnownGoodReleaseWhenAFailedReleaseStaysLive() throws Exception {
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");
        stack.autoRollback = false;
        stack.deploy(stack.releases.broken("r3"));
        stack.deploy(stack.releases.broken("r4"));

        assertThat(stack.live()).isEqualTo("releases/r4");
        assertThat(stack.engine.history(stack.name).lastKnownGood())
                .map(Object::toString)
                .contains("r2");
        assertThat(releasesOnTarget()).contains("r2", "r4").doesNotContain("r1");
    }

    @Test
    public void failedReleasesAreArchivedAndOnlyTheNewestAreKept() throws Exception {
        stack.deployHealthy("r1");
        stack.deploy(stack.releases.broken("r2"));
        stack.deploy(stack.releases.broken("r3"));

        try (Stream<Path> archived = Files.list(stack.root().resolve(".deploy/failed"))) {
            assertThat(archived.map(p -> p.getFileName().toString()))
                    .singleElement()
                    .asString()
                    .endsWith("-r3");
        }
        assertThat(releasesOnTarget()).containsExactly("r1");
    }
}

package io.jenkins.plugins.deployrollback.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.plan.TargetAction;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.testing.Archives;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RemoteArtifactStoreTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** The far side: answers each release id from {@link #kept}, noting every fetch. */
    private final Map<String, String> kept = new HashMap<>();

    private final List<String> fetches = Collections.synchronizedList(new ArrayList<>());

    private final ArtifactWire farSide = releaseId -> {
        fetches.add(releaseId);
        return kept.get(releaseId);
    };

    @Test
    public void aReleaseIsFetchedOnceAndItsCopyServesEveryLaterFind() throws IOException {
        Path folder = new ReleaseFolders(temp.getRoot().toPath()).folder("r1", Map.of("index.html", "r1\n"));
        kept.put("r1", folder.toString());
        RemoteArtifactStore store = new RemoteArtifactStore(farSide);

        Optional<ArtifactSource> first = store.find(ReleaseId.of("r1"));
        Optional<ArtifactSource> second = store.find(ReleaseId.of("r1"));

        assertThat(first).contains(new ArtifactSource.Folder(folder));
        assertThat(second).isEqualTo(first);
        assertThat(fetches).containsExactly("r1");
    }

    @Test
    public void anArchiveFetchedIsAnArchiveSource() throws IOException {
        Path archive = Archives.tarGz(temp.getRoot().toPath().resolve("build-7/r7.tar.gz"))
                .file("index.html", "r7\n")
                .write();
        kept.put("r7", archive.toString());

        Optional<ArtifactSource> found = new RemoteArtifactStore(farSide).find(ReleaseId.of("r7"));

        assertThat(found).contains(new ArtifactSource.Archive(archive, ArtifactSource.ArchiveFormat.TAR_GZ));
    }

    @Test
    public void aReleaseKeptNowhereIsNotFoundAndNotAskedAboutAgain() throws IOException {
        RemoteArtifactStore store = new RemoteArtifactStore(farSide);

        assertThat(store.find(ReleaseId.of("r1"))).isEmpty();
        assertThat(store.find(ReleaseId.of("r1"))).isEmpty();
        assertThat(new RemoteArtifactStore(ArtifactWire.NONE).find(ReleaseId.of("r1")))
                .isEmpty();

        assertThat(fetches).containsExactly("r1");
    }

    @Test
    public void aFetchedPathWhereNothingIsIsRefusedSayingSoAndAskedAgainNextTime() throws IOException {
        Path missing = temp.getRoot().toPath().resolve("workspace/r1");
        kept.put("r1", missing.toString());
        RemoteArtifactStore store = new RemoteArtifactStore(farSide);

        assertThatThrownBy(() -> store.find(ReleaseId.of("r1")))
                .isInstanceOf(IOException.class)
                .hasMessage("The artifacts of release r1 were fetched to \"" + missing
                        + "\", but nothing is there: the wire must put the copy on this machine before answering");

        Files.createDirectories(missing);
        assertThat(store.find(ReleaseId.of("r1"))).contains(new ArtifactSource.Folder(missing));
        assertThat(fetches).containsExactly("r1", "r1");
    }

    @Test
    public void aRelativeOrUnusableFetchedPathIsRefused() throws IOException {
        Path notAnArchive = Files.writeString(temp.getRoot().toPath().resolve("r2.txt"), "text");
        kept.put("r1", "workspace/r1");
        kept.put("r2", notAnArchive.toString());
        RemoteArtifactStore store = new RemoteArtifactStore(farSide);

        assertThatThrownBy(() -> store.find(ReleaseId.of("r1")))
                .isInstanceOf(IOException.class)
                .hasMessage("The artifacts of release r1 were fetched to \"workspace/r1\", a relative path: the wire"
                        + " must answer with an absolute path on this machine");
        assertThatThrownBy(() -> store.find(ReleaseId.of("r2")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("The artifacts of release r2 were fetched, but are unusable: Artifact \"")
                .hasMessageEndingWith("is neither a folder nor a .tar.gz, .tgz or .zip archive");
    }

    @Test
    public void keepingLeavesTheArtifactsToTheFarSide() throws IOException {
        ReleaseFolders.Prepared r1 = new ReleaseFolders(temp.getRoot().toPath()).healthy("r1");
        RemoteArtifactStore store = new RemoteArtifactStore(farSide);

        store.keep(r1.release(), r1.source());

        assertThat(fetches).isEmpty();
        assertThat(store.find(ReleaseId.of("r1"))).isEmpty();
    }

    @Test
    public void rollbackToAReleasePrunedFromTheTargetStagesItFromTheFetchedCopyFetchedOnce() throws Exception {
        try (Stack stack = new Stack(
                temp.getRoot().toPath(),
                1,
                Clock.systemUTC(),
                history -> history,
                artifacts -> new RemoteArtifactStore(farSide))) {
            stack.retention = new RetentionPolicy(1, 1);
            for (String id : List.of("r1", "r2", "r3")) {
                ReleaseFolders.Prepared prepared = stack.releases.healthy(id);
                stack.deploy(prepared);
                // The far side archives each release's artifacts itself, as Jenkins archives a build's.
                kept.put(id, prepared.source().path().toString());
            }
            assertThat(stack.root().resolve("releases/r1")).doesNotExist();

            DeploymentResult result = stack.rollbackTo("r1", false);

            assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(result.plan().targets()).singleElement().satisfies(t -> assertThat(t.action())
                    .isEqualTo(TargetAction.REDEPLOY));
            assertThat(stack.page(0)).isEqualTo("release r1\n");
            assertThat(fetches).containsOnlyOnce("r1");
            assertThat(stack.base.resolve("state/artifacts")).doesNotExist();
        }
    }
}

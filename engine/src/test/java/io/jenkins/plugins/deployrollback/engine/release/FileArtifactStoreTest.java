package io.jenkins.plugins.deployrollback.engine.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileArtifactStoreTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path kept;
    private FileArtifactStore store;

    @Before
    public void setUp() {
        kept = temp.getRoot().toPath().resolve("state/artifacts");
        store = new FileArtifactStore(kept);
    }

    private void keep(String id, int bytes) throws Exception {
        Path folder = temp.getRoot().toPath().resolve("build/" + id);
        Files.createDirectories(folder);
        String content = "x".repeat(bytes);
        Files.writeString(folder.resolve("app.bin"), content);
        Release release = new Release(
                ReleaseId.of(id),
                "v-" + id,
                "app#" + id,
                Set.of(),
                new ReleaseContent(
                        List.of(new Artifact("app.bin", bytes, Sha256.of(content), false)), List.of(), List.of()));
        store.keep(release, new ArtifactSource.Folder(folder));
    }

    private List<String> keptCopies() throws Exception {
        try (var entries = Files.list(kept)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    @Test
    public void pruneRemovesTheCopiesNoOneNeedsAndSaysHowMuchItFreed() throws Exception {
        keep("r1", 1000);
        keep("r2", 2000);
        keep("r3", 4000);

        FileArtifactStore.Pruned pruned = store.prune(() -> Set.of(ReleaseId.of("r3"), ReleaseId.of("r1")));

        assertThat(pruned.deferred()).isFalse();
        assertThat(pruned.removed()).containsExactly(ReleaseId.of("r2"));
        assertThat(pruned.freed()).isEqualTo(2000);
        assertThat(keptCopies()).containsExactly("r1", "r3");
        assertThat(store.find(ReleaseId.of("r1"))).isPresent();
        assertThat(store.find(ReleaseId.of("r2"))).isEmpty();
    }

    @Test
    public void pruneWaitsWhileAnotherOperationUsesTheStoreAndDoesNotEvenAskWhatIsNeeded() throws Exception {
        keep("r1", 10);
        keep("r2", 10);
        boolean[] asked = {false};

        FileArtifactStore.Pruned pruned;
        try (FileArtifactStore.Use other = new FileArtifactStore(kept).use()) {
            pruned = store.prune(() -> {
                asked[0] = true;
                return Set.of();
            });
        }
        FileArtifactStore.Pruned afterwards = store.prune(() -> Set.of(ReleaseId.of("r2")));

        assertThat(pruned.deferred()).isTrue();
        assertThat(pruned.removed()).isEmpty();
        assertThat(asked[0]).isFalse();
        assertThat(afterwards.deferred()).isFalse();
        assertThat(afterwards.removed()).containsExactly(ReleaseId.of("r1"));
        assertThat(keptCopies()).containsExactly("r2");
    }

    @Test
    public void aUseLeftByAProcessThatDiedDoesNotStopPruningAndIsCleared() throws Exception {
        keep("r1", 10);
        Path deadMarker = kept.resolve(".in-use/left-by-a-killed-process");
        Files.createDirectories(deadMarker.getParent());
        Files.writeString(deadMarker, ""); // no process holds its lock

        FileArtifactStore.Pruned pruned = store.prune(Set::of);

        assertThat(pruned.deferred()).isFalse();
        assertThat(pruned.removed()).containsExactly(ReleaseId.of("r1"));
        assertThat(deadMarker).doesNotExist();
    }

    @Test
    public void aHalfMadeCopyIsRemovedAndWhatTheStoreDidNotMakeIsLeftAlone() throws Exception {
        keep("r1", 10);
        Path halfMade = kept.resolve(".r2.5f0e7a1c");
        Files.createDirectories(halfMade.resolve("tree"));
        Files.writeString(halfMade.resolve("tree/app.bin"), "12345");
        Path foreign = kept.resolve("not a release");
        Files.writeString(foreign, "someone's notes");

        FileArtifactStore.Pruned pruned = store.prune(() -> Set.of(ReleaseId.of("r1")));

        assertThat(pruned.removed()).isEmpty();
        assertThat(pruned.freed()).isEqualTo(5);
        assertThat(halfMade).doesNotExist();
        assertThat(foreign).hasContent("someone's notes");
        assertThat(keptCopies()).contains("r1");
    }
}

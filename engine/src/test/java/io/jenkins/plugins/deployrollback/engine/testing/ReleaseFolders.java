package io.jenkins.plugins.deployrollback.engine.testing;

import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Makes small releases as folders on disk, the way a build would leave them. */
public final class ReleaseFolders {
    private final Path base;

    public ReleaseFolders(Path base) {
        this.base = base;
    }

    /** A release folder named {@code id} holding {@code files} (path to content). */
    public Path folder(String id, Map<String, String> files) throws IOException {
        Path folder = base.resolve("artifacts-" + id);
        Files.createDirectories(folder);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = folder.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return folder;
    }

    /** A healthy web release: its index names it, its health answers 200. */
    public Prepared healthy(String id, String... facts) throws IOException {
        return prepare(id, Map.of("index.html", "release " + id + "\n"), facts);
    }

    /** A broken web release: its health answers 500. */
    public Prepared broken(String id, String... facts) throws IOException {
        return prepare(id, Map.of("index.html", "release " + id + "\n", "status", "500\n"), facts);
    }

    public Prepared prepare(String id, Map<String, String> files, String... facts) throws IOException {
        ArtifactSource source = ArtifactSource.of(folder(id, files));
        Release release =
                new Release(ReleaseId.of(id), "v-" + id, "build-" + id, Set.of(facts), ReleaseReader.read(source));
        return new Prepared(release, source);
    }

    /** A release and where its content comes from. */
    public record Prepared(Release release, ArtifactSource source) {}
}

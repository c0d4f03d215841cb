package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseContent;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The release a deploy puts live: its id, artifact, version label, build and declared facts. */
final class ReleaseOptions {
    @Option(
            names = {"-r", "--release"},
            required = true,
            paramLabel = "ID",
            description = "Immutable release id: letters, digits, '.', '_' or '-' (e.g. 2026.11.23-42).")
    String id;

    @Option(
            names = {"-a", "--artifact"},
            required = true,
            paramLabel = "PATH",
            description = "A folder, or a .tar.gz, .tgz or .zip archive.")
    Path artifact;

    @Option(
            names = "--version",
            paramLabel = "LABEL",
            description = "Version label for people (default: the release id).")
    String version;

    @Option(
            names = "--build",
            paramLabel = "BUILD",
            description = "The build that produced it (a CI build, a commit), to roll back by build later.")
    String build;

    @Option(
            names = "--fact",
            paramLabel = "FACT",
            description = "A declared fact, repeatable: schemaMigration, breakingChange.")
    List<String> facts = new ArrayList<>();

    @Option(
            names = "--allow-empty",
            description = "Deploy an artifact with no file in it (nothing, or only empty folders); refused otherwise.")
    boolean allowEmpty;

    /** Reads the artifact (refusing unsafe entries before anything is written) and describes the release. */
    Prepared prepare(ProgressListener progress) throws IOException {
        ReleaseId releaseId = ReleaseId.of(id);
        ArtifactSource source = ArtifactSource.of(artifact.toAbsolutePath().normalize());
        progress.stage("read", "Reading " + source + " and checking every entry");
        ReleaseContent content =
                ReleaseReader.read(source, allowEmpty ? ReleaseReader.Empty.ALLOW : ReleaseReader.Empty.REFUSE);
        Release release = new Release(releaseId, version, build, Set.copyOf(facts), content);
        progress.info("release " + release.id() + " (" + release.version() + "): " + content.summary()
                + ", manifest SHA-256 " + content.digest().substring(0, 16) + "…"
                + (release.facts().isEmpty() ? "" : ", declares " + release.facts()));
        return new Prepared(release, source);
    }

    record Prepared(Release release, ArtifactSource source) {}
}

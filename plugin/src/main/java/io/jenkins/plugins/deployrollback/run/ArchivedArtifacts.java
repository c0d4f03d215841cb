package io.jenkins.plugins.deployrollback.run;

import hudson.FilePath;
import hudson.model.Run;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.remote.ArtifactWire;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Optional;
import jenkins.util.VirtualFile;

/**
 * The kept artifacts of each release: archived into the build that deployed it, under {@code
 * deploy-rollback/<release>/}. To stage a release again, its files are copied from there to the
 * machine running the engine.
 */
final class ArchivedArtifacts implements ArtifactWire {
    /** The folder, inside a build's archived artifacts, holding a release's files. */
    static final String FOLDER = "deploy-rollback";

    private final HistoryStore history;
    private final FilePath scratch;

    /** {@code scratch}: a folder on the engine's machine that copies go into. */
    ArchivedArtifacts(HistoryStore history, FilePath scratch) {
        this.history = history;
        this.scratch = scratch;
    }

    @Override
    public String fetch(String releaseId) throws IOException {
        Optional<Release> release = history.release(ReleaseId.of(releaseId));
        if (release.isEmpty() || release.get().sourceBuild() == null) {
            return null;
        }
        Run<?, ?> build = Run.fromExternalizableId(release.get().sourceBuild());
        if (build == null) {
            return null;
        }
        VirtualFile kept = build.getArtifactManager().root().child(FOLDER).child(releaseId);
        if (!kept.isDirectory()) {
            return null;
        }
        try {
            Collection<String> files = kept.list("**", null, false);
            FilePath into = scratch.child(releaseId);
            into.deleteRecursive();
            for (String file : files) {
                try (InputStream in = kept.child(file).open()) {
                    into.child(file).copyFrom(in);
                }
            }
            // An archive was kept as its single file; a folder as its tree.
            if (files.size() == 1 && isArchive(files.iterator().next())) {
                return into.child(files.iterator().next()).getRemote();
            }
            return into.getRemote();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Copying the artifacts of " + releaseId + " was interrupted", e);
        }
    }

    static boolean isArchive(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".zip");
    }
}

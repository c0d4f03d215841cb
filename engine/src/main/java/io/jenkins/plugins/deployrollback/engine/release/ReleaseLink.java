package io.jenkins.plugins.deployrollback.engine.release;

/**
 * A symbolic link inside a release. Its target is relative and resolves inside the release folder;
 * links that point out are refused when the link is made.
 */
public record ReleaseLink(String path, String target) {
    public ReleaseLink {
        path = ReleasePath.checkEntry(path);
        ReleasePath.resolveLink(path, target);
    }
}

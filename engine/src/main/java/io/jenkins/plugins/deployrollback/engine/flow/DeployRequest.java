package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.Objects;

/**
 * A request to put {@code release} live, its content read from {@code source}.
 *
 * @param actor who asks ({@code alice}, {@code jenkins: app #42})
 * @param reason why, or null
 */
public record DeployRequest(Release release, ArtifactSource source, String actor, String reason) {
    public DeployRequest {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(source, "source");
        actor = Text.requireLabel("Actor", actor, 200);
        reason = reason == null ? null : Text.requireLabel("Reason", reason, 500);
    }
}

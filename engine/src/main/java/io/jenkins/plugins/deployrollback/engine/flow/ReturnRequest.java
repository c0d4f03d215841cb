package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.Objects;

/**
 * A request to return an environment to a release it ran before: back (rollback) or forward
 * (roll-forward).
 *
 * @param target which release; {@link ReleaseSelector.Default} lets the history decide
 * @param force go ahead despite blockers (a schema migration crossed, a release that failed)
 * @param actor who asks
 * @param reason why (recorded as the cause), or null
 */
public record ReturnRequest(ReleaseSelector target, boolean force, String actor, String reason) {
    public ReturnRequest {
        Objects.requireNonNull(target, "target");
        actor = Text.requireLabel("Actor", actor, 200);
        reason = reason == null ? null : Text.requireLabel("Reason", reason, 500);
    }
}

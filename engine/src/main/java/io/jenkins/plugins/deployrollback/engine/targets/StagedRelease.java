package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Instant;

/**
 * A release folder present on a target, with the digest of the manifest it was staged with (null if
 * it has none: not staged by us) and when it was last staged or switched to.
 */
public record StagedRelease(ReleaseId id, String digest, Instant lastUsed) {}

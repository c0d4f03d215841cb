package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.List;

/**
 * What a full check of a release folder on a target found.
 *
 * @param differing the files whose content is not what the manifest records (or that are missing), at
 *     most a few, by path
 * @param fingerprintMatches false when entries were added, removed or touched since the release was
 *     staged or last stopped serving
 * @param unverifiable why the folder could not be checked (no manifest: not staged by Deploy
 *     Rollback), or null
 */
public record ReleaseIntegrity(
        String target, ReleaseId release, List<String> differing, boolean fingerprintMatches, String unverifiable) {
    public ReleaseIntegrity {
        differing = List.copyOf(differing);
    }

    public boolean intact() {
        return unverifiable == null && differing.isEmpty() && fingerprintMatches;
    }

    /** {@code intact}, or what is wrong in a few words. */
    public String describe() {
        if (unverifiable != null) {
            return "cannot be checked: " + unverifiable;
        }
        if (intact()) {
            return "intact";
        }
        StringBuilder text = new StringBuilder("CHANGED: ");
        if (!differing.isEmpty()) {
            text.append(differing.size())
                    .append(differing.size() == 1 ? " file differs" : " files differ")
                    .append(" from the manifest (")
                    .append(String.join(", ", differing.subList(0, Math.min(5, differing.size()))))
                    .append(differing.size() > 5 ? ", …" : "")
                    .append(")");
        } else {
            text.append("every file matches its checksum, but entries were added, removed or touched");
        }
        return text.append("; the next switch to it stages it again from its artifacts")
                .toString();
    }
}

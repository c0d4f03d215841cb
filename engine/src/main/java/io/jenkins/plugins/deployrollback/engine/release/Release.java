package io.jenkins.plugins.deployrollback.engine.release;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A release: an immutable id, a version label for people, the build it came from, the facts it
 * declares (such as {@value #SCHEMA_MIGRATION}) and its exact content. Once recorded, a release id
 * always means the same content; a different content under the same id is refused.
 *
 * @param sourceBuild the build that produced it ({@code job#42}, a commit, a CI URL), or null
 */
public record Release(ReleaseId id, String version, String sourceBuild, Set<String> facts, ReleaseContent content) {
    /** Fact: this release changes the database schema, so code before it may not run against it. */
    public static final String SCHEMA_MIGRATION = "schemaMigration";

    /** Fact: this release breaks a contract (an API, a message format) that older releases relied on. */
    public static final String BREAKING_CHANGE = "breakingChange";

    private static final Pattern FACT = Pattern.compile("[a-z][A-Za-z0-9]{0,39}");

    public Release {
        Objects.requireNonNull(id, "release id");
        version = Text.requireLabel("Version of release " + id, version == null ? id.value() : version, 100);
        if (sourceBuild != null) {
            sourceBuild = Text.requireLabel("Source build of release " + id, sourceBuild, 200);
        }
        TreeSet<String> checked = new TreeSet<>();
        for (String fact : facts == null ? Set.<String>of() : facts) {
            if (fact == null || !FACT.matcher(fact).matches()) {
                throw new IllegalArgumentException("Fact " + Text.quote(fact) + " of release " + id
                        + " is invalid: use a camelCase word such as " + SCHEMA_MIGRATION + " or " + BREAKING_CHANGE);
            }
            checked.add(fact);
        }
        facts = java.util.Collections.unmodifiableSortedSet(checked);
        Objects.requireNonNull(content, "release content");
    }

    /** Convenience for releases made in code and tests. */
    public static Release of(
            String id, String version, String sourceBuild, Collection<String> facts, ReleaseContent content) {
        return new Release(ReleaseId.of(id), version, sourceBuild, Set.copyOf(facts), content);
    }

    /** True when the release declares a change older releases cannot live with. */
    public boolean declaresIrreversibleChange() {
        return facts.contains(SCHEMA_MIGRATION) || facts.contains(BREAKING_CHANGE);
    }

    /** Same id, version, build, facts and content. */
    public boolean sameAs(Release other) {
        return id.equals(other.id)
                && version.equals(other.version)
                && Objects.equals(sourceBuild, other.sourceBuild)
                && facts.equals(other.facts)
                && content.digest().equals(other.content.digest());
    }
}

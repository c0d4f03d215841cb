package io.jenkins.plugins.deployrollback.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.Test;

public class ReleaseValidationTest {
    private static final ReleaseId R1 = ReleaseId.of("r1");

    @Test
    public void declaredFactsAreKeptSortedAndMigrationsAndBreakingChangesAreIrreversible() {
        Release release = new Release(
                R1, "1.0", "app#1", Set.of(Release.SCHEMA_MIGRATION, "needsWarmup"), ReleaseContent.empty());

        assertThat(release.facts()).containsExactly("needsWarmup", "schemaMigration");
        assertThat(release.declaresIrreversibleChange()).isTrue();
        assertThat(new Release(R1, "1.0", null, Set.of(Release.BREAKING_CHANGE), ReleaseContent.empty())
                        .declaresIrreversibleChange())
                .isTrue();
        assertThat(new Release(R1, "1.0", null, Set.of("needsWarmup"), ReleaseContent.empty())
                        .declaresIrreversibleChange())
                .isFalse();
    }

    @Test
    public void factThatIsNotACamelCaseWordIsRefusedNamingExamples() {
        for (String bad :
                List.of("schema migration", "SchemaMigration", "schema-migration", "", "x".repeat(41), "fact\n")) {
            assertThatThrownBy(() -> new Release(R1, "1.0", null, Set.of(bad), ReleaseContent.empty()))
                    .as("fact %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "of release r1 is invalid: use a camelCase word such as schemaMigration or breakingChange");
        }
    }

    @Test
    public void missingVersionDefaultsToTheId() {
        assertThat(new Release(R1, null, null, null, ReleaseContent.empty()).version())
                .isEqualTo("r1");
    }

    @Test
    public void blankOrUnprintableVersionIsRefused() {
        assertThatThrownBy(() -> new Release(R1, " ", null, Set.of(), ReleaseContent.empty()))
                .hasMessage("Version of release r1 is empty: give a short label");
        assertThatThrownBy(() -> new Release(R1, "1.0\r\n", null, Set.of(), ReleaseContent.empty()))
                .hasMessageContaining("\"1.0\\r\\n\"")
                .hasMessageContaining("at most 100 characters and no control characters");
        assertThatThrownBy(() -> new Release(R1, "v".repeat(101), null, Set.of(), ReleaseContent.empty()))
                .hasMessageContaining("at most 100 characters");
    }

    @Test
    public void sourceBuildIsOptionalButMustBeAShortPrintableLabel() {
        assertThat(new Release(R1, "1.0", null, Set.of(), ReleaseContent.empty()).sourceBuild())
                .isNull();
        assertThatThrownBy(() -> new Release(R1, "1.0", "b".repeat(201), Set.of(), ReleaseContent.empty()))
                .hasMessageContaining("Source build of release r1")
                .hasMessageContaining("at most 200 characters");
    }

    @Test
    public void sameAsComparesIdVersionBuildFactsAndContent() throws Exception {
        ReleaseContent one =
                new ReleaseContent(List.of(new Artifact("a", 1, "a".repeat(64), false)), List.of(), List.of());
        ReleaseContent other =
                new ReleaseContent(List.of(new Artifact("a", 1, "b".repeat(64), false)), List.of(), List.of());
        Release release = new Release(R1, "1.0", "app#1", Set.of(), one);

        assertThat(release.sameAs(new Release(R1, "1.0", "app#1", Set.of(), one)))
                .isTrue();
        assertThat(release.sameAs(new Release(R1, "1.0", "app#1", Set.of(), other)))
                .isFalse();
        assertThat(release.sameAs(new Release(R1, "1.0", "app#1", Set.of(Release.SCHEMA_MIGRATION), one)))
                .isFalse();
        assertThat(release.sameAs(new Release(R1, "1.1", "app#1", Set.of(), one)))
                .isFalse();
        assertThat(release.sameAs(new Release(R1, "1.0", "app#2", Set.of(), one)))
                .isFalse();
    }

    @Test
    public void artifactChecksumMustBeSixtyFourLowerCaseHexDigits() {
        assertThatThrownBy(() -> new Artifact("a", 1, "ABC", false))
                .hasMessageContaining(
                        "checksum of a \"ABC\" is not a SHA-256 checksum: expected 64 lower-case hex digits");
        assertThatThrownBy(() -> new Artifact("a", -1, "a".repeat(64), false)).hasMessageContaining("negative size");
    }
}

package io.jenkins.plugins.deployrollback.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.Test;

public class ReleasePathTest {
    @Test
    public void leadingDotSlashAndTrailingSlashAreDropped() {
        assertThat(ReleasePath.check("a/b")).isEqualTo("a/b");
        assertThat(ReleasePath.check("./a/b/")).isEqualTo("a/b");
        assertThat(ReleasePath.check("././a")).isEqualTo("a");
    }

    @Test
    public void theReleaseFolderItselfIsEmptyForCheckAndRefusedForCheckEntry() {
        assertThat(ReleasePath.check(".")).isEmpty();
        assertThat(ReleasePath.check("./")).isEmpty();
        assertThatThrownBy(() -> ReleasePath.checkEntry("./"))
                .isInstanceOf(UnsafeArtifactException.class)
                .hasMessageContaining("entry \"./\" names the release folder itself");
    }

    @Test
    public void dotDotAnywhereIsRefused() {
        for (String path : new String[] {"..", "../x", "a/../b", "a/..", "a/b/../../../x"}) {
            assertThatThrownBy(() -> ReleasePath.check(path))
                    .as(path)
                    .isInstanceOf(UnsafeArtifactException.class)
                    .hasMessageContaining(
                            "entry \"" + path + "\" contains '..': it would be written outside the release folder");
        }
    }

    @Test
    public void absolutePathIsRefused() {
        assertThatThrownBy(() -> ReleasePath.check("/etc/passwd"))
                .hasMessageContaining(
                        "entry \"/etc/passwd\" has an absolute path: artifacts may only contain paths relative to the release folder");
    }

    @Test
    public void backslashIsRefusedAskingForSlashes() {
        assertThatThrownBy(() -> ReleasePath.check("a\\b"))
                .hasMessageContaining("entry \"a\\\\b\" contains a backslash: use '/' as the separator");
    }

    @Test
    public void emptyAndDotSegmentsAreRefused() {
        assertThatThrownBy(() -> ReleasePath.check("a//b")).hasMessageContaining("has an empty or '.' segment");
        assertThatThrownBy(() -> ReleasePath.check("a/./b")).hasMessageContaining("has an empty or '.' segment");
        assertThatThrownBy(() -> ReleasePath.check("")).hasMessageContaining("an entry has an empty path");
        assertThatThrownBy(() -> ReleasePath.check(null)).hasMessageContaining("an entry has an empty path");
    }

    @Test
    public void controlCharactersAreRefusedAndShownEscaped() {
        assertThatThrownBy(() -> ReleasePath.check("a\nb"))
                .hasMessageContaining("entry \"a\\nb\" has a control character in its path");
        assertThatThrownBy(() -> ReleasePath.check("a\u0000b")).hasMessageContaining("\"a\\u0000b\"");
    }

    @Test
    public void messagesSayNothingWasWritten() {
        assertThatThrownBy(() -> ReleasePath.check("../x"))
                .hasMessageStartingWith("Unsafe artifact: ")
                .hasMessageEndingWith(". Nothing was written.");
    }

    @Test
    public void parentIsTheHoldingFolderOrEmptyAtTheTop() {
        assertThat(ReleasePath.parent("a/b/c")).isEqualTo("a/b");
        assertThat(ReleasePath.parent("a")).isEmpty();
    }

    @Test
    public void linkTargetsResolveAgainstTheFolderHoldingTheLink() {
        assertThat(ReleasePath.resolveLink("latest", "index.html")).isEqualTo("index.html");
        assertThat(ReleasePath.resolveLink("docs/home", "../index.html")).isEqualTo("index.html");
        assertThat(ReleasePath.resolveLink("a/b/c", "../../x/./y")).isEqualTo("x/y");
        assertThat(ReleasePath.resolveLink("a/up", "..")).isEmpty();
    }

    @Test
    public void linkTargetsThatLeaveTheReleaseAreRefused() {
        assertThatThrownBy(() -> ReleasePath.resolveLink("up", "../../outside"))
                .hasMessageContaining("link \"up\" -> \"../../outside\" points outside the release folder");
        assertThatThrownBy(() -> ReleasePath.resolveLink("a/b", "../../x"))
                .hasMessageContaining("link \"a/b\" -> \"../../x\" points outside the release folder");
        assertThatThrownBy(() -> ReleasePath.resolveLink("passwd", "/etc/passwd"))
                .hasMessageContaining(
                        "link \"passwd\" -> \"/etc/passwd\" points to an absolute path outside the release");
        assertThatThrownBy(() -> ReleasePath.resolveLink("nothing", ""))
                .hasMessageContaining("link \"nothing\" has an empty or unprintable target");
        assertThatThrownBy(() -> ReleasePath.resolveLink("bell", "a\u0007"))
                .hasMessageContaining("empty or unprintable target");
    }

    @Test
    public void linksAreResolvedThroughTheOtherLinksOfTheRelease() {
        Map<String, String> links =
                Map.of("manual", "docs", "guide", "manual/guide.txt", "docs/top", "..", "again", "docs/top/manual/..");

        assertThat(ReleasePath.resolveThroughLinks("guide", links)).isEqualTo("docs/guide.txt");
        assertThat(ReleasePath.resolveThroughLinks("docs/top", links)).isEmpty();
        assertThat(ReleasePath.resolveThroughLinks("again", links)).isEmpty();
    }

    @Test
    public void dotDotAfterALinkClimbsOutOfWhereTheLinkPoints() {
        Map<String, String> links = Map.of("deep/sub", "..", "up", "deep/sub/..");

        assertThat(ReleasePath.resolveLink("up", "deep/sub/..")).isEqualTo("deep");
        assertThatThrownBy(() -> ReleasePath.resolveThroughLinks("up", links))
                .isInstanceOf(UnsafeArtifactException.class)
                .hasMessageContaining(
                        "link \"up\" -> \"deep/sub/..\" points outside the release folder once the links on its way are followed");
    }

    @Test
    public void linkLoopIsRefused() {
        Map<String, String> links = Map.of("a", "b", "b", "a");

        assertThatThrownBy(() -> ReleasePath.resolveThroughLinks("a", links))
                .hasMessageContaining("link \"a\" -> \"b\" goes through more than 40 links (a loop?)");
    }
}

package io.jenkins.plugins.deployrollback.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.Test;

public class ReleaseIdTest {
    private static final String ALLOWED =
            "use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 128)";

    @Test
    public void versionLikeIdsAreAccepted() {
        assertThat(ReleaseId.of("2026.11.23-42").value()).isEqualTo("2026.11.23-42");
        assertThat(ReleaseId.of("r3").value()).isEqualTo("r3");
        assertThat(ReleaseId.of("v1.2.3_rc-1").value()).isEqualTo("v1.2.3_rc-1");
    }

    @Test
    public void oneHundredTwentyEightCharactersAreAcceptedAndOneHundredTwentyNineAreNot() {
        String longest = "r".repeat(128);

        assertThat(ReleaseId.of(longest).value()).hasSize(128);
        assertThatThrownBy(() -> ReleaseId.of(longest + "r"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ALLOWED);
    }

    @Test
    public void blankInsideTheIdIsRefusedSayingWhatIsAllowed() {
        assertThatThrownBy(() -> ReleaseId.of("prod env"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Release id \"prod env\" is invalid: " + ALLOWED);
    }

    @Test
    public void emptyAndMissingIdsAreRefused() {
        assertThatThrownBy(() -> ReleaseId.of("")).hasMessageContaining("\"\"").hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> ReleaseId.of(null)).hasMessageContaining(ALLOWED);
    }

    @Test
    public void idsThatWouldNameAnotherFolderAreRefused() {
        assertThatThrownBy(() -> ReleaseId.of("../x"))
                .hasMessageContaining("\"../x\"")
                .hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> ReleaseId.of("a/b"))
                .hasMessageContaining("\"a/b\"")
                .hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> ReleaseId.of("a\\b")).hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> ReleaseId.of(".")).hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> ReleaseId.of("..")).hasMessageContaining(ALLOWED);
    }

    @Test
    public void controlCharactersAreRefusedAndShownEscaped() {
        assertThatThrownBy(() -> ReleaseId.of("r1\tr2"))
                .hasMessageContaining("\"r1\\tr2\"")
                .hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> ReleaseId.of("r1\u0000")).hasMessageContaining("\"r1\\u0000\"");
    }

    @Test
    public void idsOrderByTheirText() {
        assertThat(ReleaseId.of("r1")).isLessThan(ReleaseId.of("r2"));
    }
}

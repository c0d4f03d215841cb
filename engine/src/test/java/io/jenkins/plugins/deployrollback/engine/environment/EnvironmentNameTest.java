package io.jenkins.plugins.deployrollback.engine.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.Test;

public class EnvironmentNameTest {
    private static final String ALLOWED =
            "use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 64)";

    @Test
    public void lettersDigitsDotsUnderscoresAndDashesAreAccepted() {
        assertThat(EnvironmentName.of("production").value()).isEqualTo("production");
        assertThat(EnvironmentName.of("eu-west.staging_2").value()).isEqualTo("eu-west.staging_2");
        assertThat(EnvironmentName.of("7").value()).isEqualTo("7");
    }

    @Test
    public void sixtyFourCharactersAreAcceptedAndSixtyFiveAreNot() {
        String longest = "e".repeat(64);

        assertThat(EnvironmentName.of(longest).value()).hasSize(64);
        assertThatThrownBy(() -> EnvironmentName.of(longest + "e"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + longest + "e\"")
                .hasMessageContaining(ALLOWED);
    }

    @Test
    public void blankInsideTheNameIsRefusedSayingWhatIsAllowed() {
        assertThatThrownBy(() -> EnvironmentName.of("prod env"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Environment name \"prod env\" is invalid: " + ALLOWED);
    }

    @Test
    public void emptyAndMissingNamesAreRefused() {
        assertThatThrownBy(() -> EnvironmentName.of(""))
                .hasMessageContaining("\"\"")
                .hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> EnvironmentName.of(null))
                .hasMessageContaining("(none)")
                .hasMessageContaining(ALLOWED);
    }

    @Test
    public void pathLikeNamesAreRefused() {
        assertThatThrownBy(() -> EnvironmentName.of("../x"))
                .hasMessageContaining("\"../x\"")
                .hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> EnvironmentName.of("a/b"))
                .hasMessageContaining("\"a/b\"")
                .hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> EnvironmentName.of(".")).hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> EnvironmentName.of(".hidden")).hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> EnvironmentName.of("-rf")).hasMessageContaining(ALLOWED);
    }

    @Test
    public void controlCharactersAreRefusedAndShownEscaped() {
        assertThatThrownBy(() -> EnvironmentName.of("prod\nenv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"prod\\nenv\"")
                .hasMessageContaining(ALLOWED);
        assertThatThrownBy(() -> EnvironmentName.of("prod\u0000")).hasMessageContaining("\"prod\\u0000\"");
        assertThatThrownBy(() -> EnvironmentName.of("prod\u001b[31m")).hasMessageContaining("\\u001b");
    }
}

package io.jenkins.plugins.deployrollback.engine.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.Test;

public class StrategyTest {
    @Test
    public void allAtOnceAndBlueGreenSwitchEveryTargetInOneStep() {
        assertThat(Strategy.ALL_AT_ONCE.waves(7)).containsExactly(7);
        assertThat(new Strategy.BlueGreen(8081, 8082).waves(7)).containsExactly(7);
    }

    @Test
    public void rollingBatchesCountUpToEveryTarget() {
        assertThat(new Strategy.Rolling(TargetCount.count(2), 0).waves(5)).containsExactly(2, 4, 5);
        assertThat(new Strategy.Rolling(TargetCount.count(5), 0).waves(5)).containsExactly(5);
        assertThat(new Strategy.Rolling(TargetCount.count(9), 0).waves(5)).containsExactly(5);
        assertThat(new Strategy.Rolling(TargetCount.count(1), 0).waves(3)).containsExactly(1, 2, 3);
    }

    @Test
    public void aShareIsRoundedUpAndIsAtLeastOneTarget() {
        assertThat(TargetCount.percent(25).of(10)).isEqualTo(3);
        assertThat(TargetCount.percent(10).of(5)).isEqualTo(1);
        assertThat(TargetCount.percent(100).of(20)).isEqualTo(20);
        assertThat(new Strategy.Rolling(TargetCount.percent(25), 0).waves(10)).containsExactly(3, 6, 9, 10);
    }

    @Test
    public void canaryStepsEndWithEveryTargetAndStepsThatAddNoTargetAreMerged() {
        Strategy.Canary canary =
                new Strategy.Canary(List.of(TargetCount.count(1), TargetCount.percent(50), TargetCount.percent(100)));
        assertThat(canary.waves(5)).containsExactly(1, 3, 5);
        // 50 % of 2 targets is the 1 already switched: merged.
        assertThat(canary.waves(2)).containsExactly(1, 2);
        assertThat(new Strategy.Canary(List.of(TargetCount.count(1))).waves(4)).containsExactly(1, 4);
        assertThat(canary.describe()).isEqualTo("canary (steps 1, 50%, 100%)");
    }

    @Test
    public void targetCountsAreReadAsCountsOrShares() {
        assertThat(TargetCount.parse("2")).isEqualTo(TargetCount.count(2));
        assertThat(TargetCount.parse(" 25% ")).isEqualTo(TargetCount.percent(25));
        assertThat(TargetCount.parse("25%").toString()).isEqualTo("25%");
    }

    @Test
    public void badTargetCountsSayWhatToGive() {
        assertThatThrownBy(() -> TargetCount.parse("abc"))
                .hasMessage("Number of targets \"abc\" is invalid: give a count such as 2, or a share such as 25%");
        assertThatThrownBy(() -> TargetCount.parse("0"))
                .hasMessage("A count of 0 targets is invalid: use 1 to 10000, or a share such as 25%");
        assertThatThrownBy(() -> TargetCount.parse("150%"))
                .hasMessage("A share of targets of 150% is invalid: use 1% to 100%, such as 25%");
    }

    @Test
    public void canaryStepsMustGrow() {
        assertThatThrownBy(() -> new Strategy.Canary(List.of(TargetCount.percent(50), TargetCount.percent(10))))
                .hasMessage("Canary step 10% comes after 50%: each step must switch more targets than the one before");
        assertThatThrownBy(() -> new Strategy.Canary(List.of()))
                .hasMessageStartingWith("A canary deployment needs steps");
    }

    @Test
    public void blueGreenSlotsNeedTheirOwnPorts() {
        assertThatThrownBy(() -> new Strategy.BlueGreen(8080, 8080))
                .hasMessage("Blue/green slots both use port 8080: give each slot its own port, such as 8081 and 8082");
        assertThatThrownBy(() -> new Strategy.BlueGreen(-1, 8080)).hasMessageStartingWith("Blue/green ports -1");
        assertThat(new Strategy.BlueGreen(8081, 8082).port("green")).isEqualTo(8082);
    }

    @Test
    public void aRollingDeploymentAllowsZeroOrMoreFailedTargets() {
        assertThatThrownBy(() -> new Strategy.Rolling(TargetCount.count(1), -1))
                .hasMessageStartingWith("A rolling deployment allowing -1 failed targets is invalid");
        assertThat(new Strategy.Rolling(TargetCount.percent(25), 1).describe())
                .isEqualTo("rolling (batches of 25% of the targets, up to 1 failed target)");
    }
}

package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.config.AllAtOnceStrategySpec;
import io.jenkins.plugins.deployrollback.config.BlueGreenStrategySpec;
import io.jenkins.plugins.deployrollback.config.CanaryStrategySpec;
import io.jenkins.plugins.deployrollback.config.RollingStrategySpec;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.strategy.TargetCount;
import java.util.List;
import org.junit.Test;

/**
 * How a step's {@code strategy} becomes the engine's {@link Strategy}: counts and shares of targets
 * are read by the engine's rule, a refusal names the strategy and the option (a canary step by its
 * position) before the engine's reason, and strategies with the same values are equal (the Snippet
 * Generator leaves out a value equal to the step's default, {@code allAtOnce()}). No Jenkins is
 * needed: {@code toEngine} is plain conversion.
 */
public class StrategySpecTest {
    @Test
    public void allAtOnceIsTheEnginesDefault() {
        assertThat(new AllAtOnceStrategySpec().toEngine()).isEqualTo(Strategy.ALL_AT_ONCE);
    }

    @Test
    public void rollingTakesACountOrAShareOfTheTargetsAndStopsAtTheFirstFailureByDefault() {
        assertThat(new RollingStrategySpec("2").toEngine()).isEqualTo(new Strategy.Rolling(TargetCount.count(2), 0));

        RollingStrategySpec quarter = new RollingStrategySpec(" 25% ");
        quarter.setMaxFailedTargets(1);

        assertThat(quarter.toEngine()).isEqualTo(new Strategy.Rolling(TargetCount.percent(25), 1));
    }

    @Test
    public void aBatchThatIsNotANumberOfTargetsIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> new RollingStrategySpec("two").toEngine())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rolling strategy, batch: Number of targets \"two\" is invalid: give a count such as 2,"
                        + " or a share such as 25%");
        assertThatThrownBy(() -> new RollingStrategySpec(null).toEngine())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Rolling strategy, batch: Number of targets (none) is invalid:");
        assertThatThrownBy(() -> new RollingStrategySpec("150%").toEngine())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rolling strategy, batch: A share of targets of 150% is invalid: use 1% to 100%,"
                        + " such as 25%");
    }

    @Test
    public void aNegativeAllowanceOfFailedTargetsIsTheEnginesRefusal() {
        RollingStrategySpec rolling = new RollingStrategySpec("1");
        rolling.setMaxFailedTargets(-1);

        assertThatThrownBy(rolling::toEngine)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A rolling deployment allowing -1 failed targets is invalid: use 0 (stop at the first)"
                        + " to 10000");
    }

    @Test
    public void canaryStepsAreCountsOrSharesInOrder() {
        CanaryStrategySpec canary = new CanaryStrategySpec(List.of("1", "50%", "100%"));

        assertThat(canary.toEngine())
                .isEqualTo(new Strategy.Canary(
                        List.of(TargetCount.count(1), TargetCount.percent(50), TargetCount.percent(100))));
    }

    @Test
    public void aCanaryStepThatIsNotANumberOfTargetsIsRefusedNamingItsPosition() {
        assertThatThrownBy(() -> new CanaryStrategySpec(List.of("1", "half")).toEngine())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Canary strategy, step 2: Number of targets \"half\" is invalid: give a count such"
                        + " as 2, or a share such as 25%");
    }

    @Test
    public void canaryStepsThatDoNotGrowOrAreMissingAreTheEnginesRefusals() {
        assertThatThrownBy(() -> new CanaryStrategySpec(List.of("2", "1")).toEngine())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Canary step 1 comes after 2: each step must switch more targets than the one before");
        assertThatThrownBy(() -> new CanaryStrategySpec(List.of()).toEngine())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("A canary deployment needs steps:");
        assertThatThrownBy(() -> new CanaryStrategySpec(null).toEngine())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("A canary deployment needs steps:");
    }

    @Test
    public void blueGreenHandsTheSlotsPortsOnAndNeedsNone() {
        BlueGreenStrategySpec withPorts = new BlueGreenStrategySpec();
        withPorts.setBluePort(8081);
        withPorts.setGreenPort(8082);

        assertThat(withPorts.toEngine()).isEqualTo(new Strategy.BlueGreen(8081, 8082));
        assertThat(new BlueGreenStrategySpec().toEngine()).isEqualTo(new Strategy.BlueGreen(0, 0));
    }

    @Test
    public void blueGreenSlotsSharingAPortAreTheEnginesRefusal() {
        BlueGreenStrategySpec same = new BlueGreenStrategySpec();
        same.setBluePort(8080);
        same.setGreenPort(8080);

        assertThatThrownBy(same::toEngine)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Blue/green slots both use port 8080: give each slot its own port, such as 8081 and 8082");
    }

    @Test
    public void strategiesWithTheSameValuesAreEqual() {
        RollingStrategySpec allowing = new RollingStrategySpec("2");
        allowing.setMaxFailedTargets(1);
        RollingStrategySpec alsoAllowing = new RollingStrategySpec("2");
        alsoAllowing.setMaxFailedTargets(1);

        assertThat(new AllAtOnceStrategySpec()).isEqualTo(new AllAtOnceStrategySpec());
        assertThat(allowing).isEqualTo(alsoAllowing).hasSameHashCodeAs(alsoAllowing);
        assertThat(allowing).isNotEqualTo(new RollingStrategySpec("2"));
        assertThat(new CanaryStrategySpec(List.of("1", "50%")))
                .isEqualTo(new CanaryStrategySpec(List.of("1", "50%")))
                .isNotEqualTo(new CanaryStrategySpec(List.of("1")));
        assertThat(new BlueGreenStrategySpec()).isEqualTo(new BlueGreenStrategySpec());
        assertThat(new AllAtOnceStrategySpec()).isNotEqualTo(new BlueGreenStrategySpec());
    }
}

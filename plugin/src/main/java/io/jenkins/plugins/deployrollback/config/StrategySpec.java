package io.jenkins.plugins.deployrollback.config;

import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.strategy.TargetCount;
import java.io.Serializable;
import java.util.function.Supplier;

/**
 * How a release goes live across the environment's targets: {@code allAtOnce()} (the default),
 * {@code rolling(…)}, {@code canary(…)} or {@code blueGreen(…)}. Plain values, as written, so the
 * strategy is recorded with the environment's definition on the build; the engine's
 * {@link Strategy} judges them.
 *
 * <p>Strategies are equal when their values are: a step's default is {@code allAtOnce()}, and the
 * Snippet Generator leaves a value equal to the default out.
 */
public abstract class StrategySpec implements Describable<StrategySpec>, Serializable {
    private static final long serialVersionUID = 1L;

    /** The engine's strategy, which validates every value and says how to fix a wrong one. */
    public abstract Strategy toEngine();

    /** What {@code make} builds, with a refusal prefixed by the strategy and the option it concerns. */
    static <T> T option(String strategy, String option, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(strategy + " strategy, " + option + ": " + e.getMessage(), e);
        }
    }

    /** {@code written} as a number of targets ({@code 2} or {@code 25%}), by the engine's rule. */
    static TargetCount targets(String written) {
        return TargetCount.parse(written);
    }

    /** The kinds of strategy, for the drop-down list of the steps' form. */
    public abstract static class StrategyDescriptor extends Descriptor<StrategySpec> {}
}

package io.jenkins.plugins.deployrollback.engine.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a release goes live across an environment's targets. Every strategy stages the release on
 * every target first and runs the before-switch hooks there, so that nothing is switched before
 * every target can take the release; they differ in how the switch is split and when gates run:
 *
 * <ul>
 *   <li>{@link AllAtOnce}: every target switches, then the gates judge (the default);
 *   <li>{@link Rolling}: batches of targets switch one after the other, with the gates after each;
 *       up to {@code maxFailedTargets} targets may fail (they stay on the old release) before the
 *       rollout stops and every switched target is switched back;
 *   <li>{@link Canary}: explicit steps (1 target, then 50 %, then all), with the gates after each; a
 *       canary check compares the switched targets with those not switched yet; a failing step
 *       switches the switched targets back and leaves the others untouched;
 *   <li>{@link BlueGreen}: each target has two slots; the release goes to the idle slot, is started
 *       and gated there by the before-switch hooks and the gates, then the live pointer switches.
 *       Going back is switching the pointer back: the old slot still runs.
 * </ul>
 */
public sealed interface Strategy {
    /** The default: every target at once. */
    Strategy ALL_AT_ONCE = new AllAtOnce();

    /** For people and records: {@code rolling (batches of 2, up to 1 failed target)}. */
    String describe();

    /**
     * The waves of a rollout over {@code targets} targets: how many targets are switched once each
     * wave is done, rising to {@code targets}. The gates run after each wave.
     */
    List<Integer> waves(int targets);

    /** Every target at once, then the gates. */
    record AllAtOnce() implements Strategy {
        @Override
        public String describe() {
            return "all at once";
        }

        @Override
        public List<Integer> waves(int targets) {
            return List.of(targets);
        }
    }

    /**
     * Batches of {@code batch} targets, in target order, the gates after each batch.
     *
     * @param maxFailedTargets how many targets may fail to switch or fail their after-switch hooks
     *     before the rollout stops (they are switched back and left on the old release); 0 stops at
     *     the first. A gate that fails always stops the rollout: it judges the environment.
     */
    record Rolling(TargetCount batch, int maxFailedTargets) implements Strategy {
        public Rolling {
            Objects.requireNonNull(batch, "batch");
            if (maxFailedTargets < 0 || maxFailedTargets > 10_000) {
                throw new IllegalArgumentException("A rolling deployment allowing " + maxFailedTargets
                        + " failed targets is invalid: use 0 (stop at the first) to 10000");
            }
        }

        @Override
        public String describe() {
            return "rolling (batches of " + batch + (batch.percent() ? " of the targets" : "") + ", "
                    + (maxFailedTargets == 0
                            ? "stopping at the first failed target"
                            : "up to " + maxFailedTargets + " failed target" + (maxFailedTargets == 1 ? "" : "s"))
                    + ")";
        }

        @Override
        public List<Integer> waves(int targets) {
            int size = batch.of(targets);
            List<Integer> waves = new ArrayList<>();
            for (int done = size; done < targets; done += size) {
                waves.add(done);
            }
            waves.add(targets);
            return waves;
        }
    }

    /**
     * Steps of a canary rollout, each the number of targets switched once it is done (1, then 50 %,
     * …); a last step of every target is added when the steps stop short of it. Steps that would not
     * switch another target (50 % of 2 targets after 1) are merged.
     */
    record Canary(List<TargetCount> steps) implements Strategy {
        public Canary {
            if (steps == null || steps.isEmpty()) {
                throw new IllegalArgumentException(
                        "A canary deployment needs steps: give them in order, such as 1, 50%, 100%");
            }
            steps = List.copyOf(steps);
            for (int i = 1; i < steps.size(); i++) {
                TargetCount before = steps.get(i - 1);
                TargetCount step = steps.get(i);
                if (before.percent() == step.percent() && step.value() <= before.value()) {
                    throw new IllegalArgumentException("Canary step " + step + " comes after " + before
                            + ": each step must switch more targets than the one before");
                }
            }
        }

        @Override
        public String describe() {
            return "canary (steps "
                    + String.join(
                            ", ", steps.stream().map(TargetCount::toString).toList()) + ")";
        }

        @Override
        public List<Integer> waves(int targets) {
            List<Integer> waves = new ArrayList<>();
            for (TargetCount step : steps) {
                int n = step.of(targets);
                if (waves.isEmpty() || n > waves.get(waves.size() - 1)) {
                    waves.add(n);
                }
            }
            if (waves.get(waves.size() - 1) < targets) {
                waves.add(targets);
            }
            return waves;
        }
    }

    /**
     * Two slots per target, {@code slots/blue} and {@code slots/green}, each a link to a release. The
     * release goes to the idle slot (the one {@code current} does not point through), the before-switch
     * hooks start it there ({@code DEPLOY_SLOT}, {@code DEPLOY_SLOT_PORT}, {@code DEPLOY_SLOT_FRESH}),
     * the gates judge it there (a command check on the targets gets the same variables) while the
     * live slot still serves, then
     * {@code current} switches on every target at once. A rollback to the release in the other slot
     * only switches {@code current} back.
     *
     * @param bluePort the port the blue slot's application listens on, or 0 when the hooks and gates
     *     do not need one
     * @param greenPort the green slot's, or 0
     */
    record BlueGreen(int bluePort, int greenPort) implements Strategy {
        /** The slots' names, blue first. */
        public static final List<String> SLOTS = List.of("blue", "green");

        public BlueGreen {
            if (bluePort < 0 || bluePort > 65535 || greenPort < 0 || greenPort > 65535) {
                throw new IllegalArgumentException("Blue/green ports " + bluePort + " and " + greenPort
                        + " are invalid: use 1 to 65535, or 0 for none");
            }
            if (bluePort != 0 && bluePort == greenPort) {
                throw new IllegalArgumentException("Blue/green slots both use port " + bluePort
                        + ": give each slot its own port, such as 8081 and 8082");
            }
        }

        /** The port of {@code slot}, 0 when none was given. */
        public int port(String slot) {
            return "blue".equals(slot) ? bluePort : greenPort;
        }

        @Override
        public String describe() {
            return "blue/green"
                    + (bluePort == 0 ? "" : " (blue on port " + bluePort + ", green on port " + greenPort + ")");
        }

        @Override
        public List<Integer> waves(int targets) {
            return List.of(targets);
        }
    }
}

package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.strategy.TargetCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Explicit steps, each the number of targets switched once it is done, the gates after each:
 * {@code canary(steps: ['1', '50%', '100%'])}. A step of every target is added when the steps stop
 * short of it. A canary check whose sources name {@code {host}} compares the switched targets with the
 * others between steps.
 */
public class CanaryStrategySpec extends StrategySpec {
    private static final long serialVersionUID = 1L;

    private final List<String> steps;

    @DataBoundConstructor
    public CanaryStrategySpec(List<String> steps) {
        this.steps = steps == null ? new ArrayList<>() : new ArrayList<>(steps);
    }

    /** Each a count ({@code '1'}) or a share of the targets ({@code '50%'}), in order. */
    public List<String> getSteps() {
        return steps;
    }

    @Override
    public Strategy toEngine() {
        return new Strategy.Canary(counts(steps));
    }

    /** The steps as the engine reads them; a refusal names the step by its position. */
    static List<TargetCount> counts(List<String> written) {
        List<TargetCount> counts = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            String step = written.get(i);
            counts.add(option("Canary", "step " + (i + 1), () -> targets(step)));
        }
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanaryStrategySpec other && Objects.equals(steps, other.steps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(steps);
    }

    @Override
    public String toString() {
        return "canary(steps: " + steps + ")";
    }

    @Extension(ordinal = 20)
    @Symbol("canary")
    public static class DescriptorImpl extends StrategyDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Canary: explicit steps (1 target, then 50 %, …)";
        }

        /**
         * Binds the form, turning the steps' text area into a list of its non-blank lines (data
         * binding alone would make the whole text one step).
         */
        @Override
        public StrategySpec newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            JSONObject bound = JSONObject.fromObject(formData);
            if (bound.opt("steps") instanceof String text) {
                JSONArray lines = new JSONArray();
                lines.addAll(Specs.lines(text));
                bound.put("steps", lines);
            }
            return super.newInstance(req, bound);
        }

        /** The steps as the text area shows them: one per line. */
        public String joinLines(List<String> values) {
            return values == null ? "" : String.join("\n", values);
        }

        @POST
        public FormValidation doCheckSteps(@QueryParameter String value) {
            return Specs.check(() -> new Strategy.Canary(counts(Specs.lines(value == null ? "" : value))));
        }
    }
}

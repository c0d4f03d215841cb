package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import java.io.Serializable;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A command run on every target around the switch: {@code hook(name: 'migrate', command: './migrate.sh',
 * phase: 'beforeSwitch', runOn: 'deploy')}.
 */
public class HookSpec implements Describable<HookSpec>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String command;
    private final String phase;
    private final String runOn;
    private int timeoutSeconds = (int) Hook.DEFAULT_TIMEOUT.toSeconds();

    /**
     * When it runs and on which operations are both required, as on the command line: a hook that
     * silently ran on rollbacks too (a migration) is the mistake this prevents.
     */
    @DataBoundConstructor
    public HookSpec(String name, String command, String phase, String runOn) {
        this.name = name;
        this.command = command;
        this.phase = phase;
        this.runOn = runOn;
    }

    public String getName() {
        return name;
    }

    public String getCommand() {
        return command;
    }

    /** {@code beforeSwitch} or {@code afterSwitch}. */
    public String getPhase() {
        return phase;
    }

    /** {@code deploy}, {@code rollback} or {@code both}. */
    public String getRunOn() {
        return runOn;
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The engine's hook; the engine's rules judge every value and say how to fix a wrong one. */
    public Hook toEngine() {
        return new Hook(
                name,
                HookPhase.fromLabel(phase),
                RunOn.fromLabel(runOn),
                command,
                Specs.seconds("Timeout of hook " + name, timeoutSeconds));
    }

    @Extension
    @Symbol("hook")
    public static class DescriptorImpl extends Descriptor<HookSpec> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Hook";
        }

        @POST
        public ListBoxModel doFillPhaseItems() {
            ListBoxModel items = new ListBoxModel();
            for (HookPhase phase : HookPhase.values()) {
                items.add(phase.label());
            }
            return items;
        }

        @POST
        public ListBoxModel doFillRunOnItems() {
            ListBoxModel items = new ListBoxModel();
            for (RunOn runOn : RunOn.values()) {
                items.add(runOn.label());
            }
            return items;
        }

        @POST
        public FormValidation doCheckTimeoutSeconds(@QueryParameter int value) {
            return Specs.check(() -> Specs.seconds("Timeout", value));
        }
    }
}

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
    private String phase = HookPhase.AFTER_SWITCH.label();
    private String runOn = RunOn.BOTH.label();
    private int timeoutSeconds = (int) Hook.DEFAULT_TIMEOUT.toSeconds();

    @DataBoundConstructor
    public HookSpec(String name, String command) {
        this.name = name;
        this.command = command;
    }

    public String getName() {
        return name;
    }

    public String getCommand() {
        return command;
    }

    public String getPhase() {
        return phase;
    }

    /** {@code beforeSwitch} or {@code afterSwitch}. */
    @DataBoundSetter
    public void setPhase(String phase) {
        this.phase = phase;
    }

    public String getRunOn() {
        return runOn;
    }

    /** {@code deploy}, {@code rollback} or {@code both}. */
    @DataBoundSetter
    public void setRunOn(String runOn) {
        this.runOn = runOn;
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

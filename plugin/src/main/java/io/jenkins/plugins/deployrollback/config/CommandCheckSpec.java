package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import io.jenkins.plugins.deployrollback.engine.gate.CommandCheck;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;

/**
 * A command whose exit status decides, where the engine runs or on every target:
 * {@code commandCheck(name: 'smoke', command: './smoke-test.sh', where: 'targets')}.
 */
public class CommandCheckSpec extends CheckSpec {
    private static final long serialVersionUID = 1L;

    private final String command;
    private String where = "engine";
    private int timeoutSeconds = (int) CommandCheck.DEFAULT_TIMEOUT.toSeconds();

    @DataBoundConstructor
    public CommandCheckSpec(String name, String command) {
        super(name);
        this.command = command;
    }

    public String getCommand() {
        return command;
    }

    public String getWhere() {
        return where;
    }

    /** {@code engine} (the agent running the step, the default) or {@code targets} (each host, in the live release). */
    @DataBoundSetter
    public void setWhere(String where) {
        this.where = where;
    }

    /** True when the command runs on the machine running the engine rather than on the targets. */
    public boolean runsWhereTheEngineRuns() {
        return where == null || where.isBlank() || "engine".equalsIgnoreCase(where.trim());
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public Check toEngine() {
        CommandCheck.Where place;
        try {
            place = CommandCheck.Where.valueOf(Specs.constantName(where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("where \"" + where + "\" of command check " + getName()
                    + " is not allowed: use engine (the agent running the step) or targets (every host)");
        }
        return new CommandCheck(
                getName(),
                command,
                place,
                Specs.seconds("Timeout of command check " + getName(), timeoutSeconds),
                isDryRun());
    }

    @Extension
    @Symbol("commandCheck")
    public static class DescriptorImpl extends CheckDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Command check";
        }

        @POST
        public ListBoxModel doFillWhereItems() {
            return new ListBoxModel().add("engine").add("targets");
        }
    }
}

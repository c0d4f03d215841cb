package io.jenkins.plugins.deployrollback.steps;

import hudson.init.Terminator;
import io.jenkins.plugins.deployrollback.run.Connections;
import jenkins.util.SystemProperties;

/**
 * When Jenkins shuts down, stops the steps that run (each engine stops as if interrupted and
 * releases its locks) without failing them; each runs again after the restart. Not an API: public
 * only so that Jenkins can call its terminator.
 */
public final class StepsShutdown {
    /** How long a shutdown waits for the steps' engines to stop: they release their locks over SSH. */
    static final long STOP_SECONDS = SystemProperties.getLong(StepsShutdown.class.getName() + ".stopSeconds", 30L);

    /** How long a step whose agent's connection was lost waits for the agent to come back. */
    static final long AGENT_WAIT_MINUTES =
            SystemProperties.getLong(StepsShutdown.class.getName() + ".agentWaitMinutes", 5L);

    private StepsShutdown() {}

    @Terminator
    public static void stopRunningSteps() {
        EnvironmentStepExecution.stopAllForShutdown(STOP_SECONDS);
        // After the steps: stopping, they release their locks over the connections kept here.
        Connections.closeAll();
    }
}

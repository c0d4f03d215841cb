package io.jenkins.plugins.deployrollback.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Not for people: the build runs it once, under {@code -XX:ArchiveClassesAtExit}, to record the
 * classes a command loads into the class data sharing archive the {@code deploy-rollback} launcher
 * starts the JVM with: the {@link Training} once.
 */
@Command(name = "cds-training", hidden = true, description = "Used by the build: see docs/development.md.")
final class CdsTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Training.once();
        return ExitCode.OK;
    }
}

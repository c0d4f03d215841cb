package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.flow.UnlockResult;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "unlock",
        header = "Release the target locks an operation left behind.",
        description = {
            "Releases the lock of each target of an environment whose holder is gone: it expired, or its",
            "process no longer runs on this machine (and no hook it started still runs). A lock whose holder",
            "may still be running (on another machine, or alive here) is left alone and named, exit 4, unless",
            "--force. Each release is a lock takeover in the target's ledger, naming the holder and why."
        })
final class UnlockCommand extends EngineCommand {
    @Parameters(
            index = "0",
            paramLabel = "ENVIRONMENT",
            description = "The environment, as named in the configuration.")
    String environment;

    @Option(
            names = "--force",
            description = {
                "Release a lock whose holder may still be running, too. Its operation, if it still runs, stops",
                "at its next step; a hook it started keeps running. Check the host and pid first."
            })
    boolean force;

    @Override
    public Integer call() throws Exception {
        List<UnlockResult> results = engine().unlock(config().environment(environment), options.actor(), force);
        if (options.json) {
            printJson(results);
        } else {
            for (UnlockResult r : results) {
                out().println(
                                switch (r.outcome()) {
                                    case NOT_LOCKED -> r.target() + ": not locked";
                                    case RELEASED ->
                                        r.target() + ": released the lock of "
                                                + r.holder().describe() + ": " + r.detail();
                                    case FORCED ->
                                        r.target() + ": FORCED: released the lock of "
                                                + r.holder().describe() + ", " + r.detail();
                                    case REFUSED ->
                                        r.target() + ": REFUSED: locked by "
                                                + r.holder().describe() + "; " + r.detail();
                                });
            }
            out().flush();
        }
        return results.stream().anyMatch(r -> r.outcome() == UnlockResult.Outcome.REFUSED)
                ? ExitCode.LOCKED
                : ExitCode.OK;
    }
}

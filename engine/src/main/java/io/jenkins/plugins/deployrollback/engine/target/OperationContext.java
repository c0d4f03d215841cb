package io.jenkins.plugins.deployrollback.engine.target;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import java.time.Clock;

/** Who is doing what to which environment, for a target's lock and ledger. */
public record OperationContext(
        EnvironmentName environment, Operation operation, String actor, Clock clock, ProgressListener progress) {}

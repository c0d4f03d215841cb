package io.jenkins.plugins.deployrollback.engine.targets.local;

import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetContract;
import java.nio.file.Path;

/** The target contract, kept by a folder on this machine. */
public class LocalTargetContractTest extends TargetContract {
    @Override
    protected Target newTarget(String name, Path root) {
        return new LocalTarget(name, root);
    }
}

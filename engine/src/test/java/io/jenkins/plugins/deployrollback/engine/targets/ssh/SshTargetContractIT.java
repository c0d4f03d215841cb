package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetContract;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import java.nio.file.Path;
import org.junit.ClassRule;

/**
 * The target contract, kept by a host reached over SSH: a real sshd on a loopback port, whose deploy
 * path is the test's folder, so the test checks the host's files directly.
 */
public class SshTargetContractIT extends TargetContract {
    @ClassRule
    public static final SshServers SERVERS = new SshServers(1);

    @Override
    protected Target newTarget(String name, Path root) {
        SshTarget served = SERVERS.get(0).target(name);
        return new SshTarget(
                name,
                served.host(),
                served.port(),
                root.toString(),
                served.credentials(),
                served.hostKeys(),
                served.settings());
    }
}

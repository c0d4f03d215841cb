package io.jenkins.plugins.deployrollback.run;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Job;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import io.jenkins.plugins.deployrollback.config.SshKey;
import java.util.List;
import org.springframework.security.core.Authentication;

/** The SSH key of an environment, looked up by credentials ID; only the ID is ever stored or printed. */
final class SshKeys {
    private SshKeys() {}

    /** For a step: as the build, recording that the build used the credentials. Null for folder targets. */
    static SshKey forBuild(EnvironmentSpec spec, Run<?, ?> build) throws AbortException {
        if (!spec.isRemote()) {
            return null;
        }
        String id = requireId(spec);
        SSHUserPrivateKey key = CredentialsProvider.findCredentialById(id, SSHUserPrivateKey.class, build);
        SshKey found = of(spec, key);
        // Shows on the credential's page which builds used it (with credentials fingerprints enabled).
        CredentialsProvider.track(build, key);
        return found;
    }

    /** For a button on the job's pages: as the job runs its builds (never as the person pressing it). */
    static SshKey forJob(EnvironmentSpec spec, Job<?, ?> job) throws AbortException {
        if (!spec.isRemote()) {
            return null;
        }
        return of(spec, lookUpAsJob(spec, job));
    }

    /**
     * For "Roll back to this build": as {@link #forJob}, recorded as used by {@code build}, the build
     * whose release the button returns to.
     */
    static SshKey forButton(EnvironmentSpec spec, Run<?, ?> build) throws AbortException {
        if (!spec.isRemote()) {
            return null;
        }
        SSHUserPrivateKey key = lookUpAsJob(spec, build.getParent());
        SshKey found = of(spec, key);
        CredentialsProvider.track(build, key);
        return found;
    }

    private static SSHUserPrivateKey lookUpAsJob(EnvironmentSpec spec, Job<?, ?> job) throws AbortException {
        String id = requireId(spec);
        Authentication as = Operations.authenticationOf(job);
        List<SSHUserPrivateKey> keys = CredentialsProvider.lookupCredentialsInItem(SSHUserPrivateKey.class, job, as);
        return CredentialsMatchers.firstOrNull(keys, CredentialsMatchers.withId(id));
    }

    private static String requireId(EnvironmentSpec spec) throws AbortException {
        if (spec.getCredentialsId() == null) {
            throw new AbortException("Environment " + spec.getEnvironment() + " deploys to hosts but has no"
                    + " credentialsId: give the ID of an \"SSH Username with private key\" credential");
        }
        return spec.getCredentialsId();
    }

    private static SshKey of(EnvironmentSpec spec, SSHUserPrivateKey key) throws AbortException {
        String id = spec.getCredentialsId();
        if (key == null) {
            throw new AbortException("No \"SSH Username with private key\" credential with ID " + id + " is visible"
                    + " to this job: add one under Manage Jenkins > Credentials (or in the job's folder), or fix"
                    + " the credentialsId of environment " + spec.getEnvironment());
        }
        List<String> privateKeys = key.getPrivateKeys();
        if (privateKeys.isEmpty()) {
            throw new AbortException("Credential " + id + " holds no private key: add the key to it");
        }
        Secret passphrase = key.getPassphrase();
        String plain = passphrase == null ? null : Secret.toString(passphrase);
        return new SshKey(
                id,
                key.getUsername(),
                privateKeys.get(0),
                plain == null || plain.isEmpty() ? null : plain.toCharArray());
    }
}

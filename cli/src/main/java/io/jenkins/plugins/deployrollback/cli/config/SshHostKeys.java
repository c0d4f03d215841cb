package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.HostKeyVerification;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How an SSH target trusts its host: the known_hosts file and the host key policy. Messages say how
 * to add a host's key after checking its fingerprint, never how to skip the check.
 */
final class SshHostKeys {
    private static final String DEFAULT_KNOWN_HOSTS = "~/.ssh/known_hosts";

    /** How a host's key is checked; deliberately without a mode that skips the check. */
    enum HostKeyPolicy {
        STRICT,
        ACCEPT_NEW
    }

    private final ConfigReader reader;
    private final SshDefaults defaults;

    SshHostKeys(ConfigReader reader, SshDefaults defaults) {
        this.reader = reader;
        this.defaults = defaults;
    }

    /** The policy written at {@code node}: strict or accept-new. */
    HostKeyPolicy policy(YamlNode node) {
        String policy = reader.string(node);
        if ("strict".equals(policy)) {
            return HostKeyPolicy.STRICT;
        }
        if ("accept-new".equals(policy)) {
            return HostKeyPolicy.ACCEPT_NEW;
        }
        if (policy != null) {
            reader.problem(
                    node,
                    Text.quote(policy) + " is not allowed: use strict (the default: only host keys listed in"
                            + " knownHosts are trusted) or accept-new (a host seen for the first time is trusted and"
                            + " its key recorded in knownHosts; a changed key is refused). There is deliberately no"
                            + " setting that skips host key checking: it would let whoever sits between here and the"
                            + " host receive the release and run its hooks");
        }
        return null;
    }

    /**
     * How {@code entry}'s host key is checked, or null when that has problems (reported). {@code host}
     * or {@code port} is null when it has problems of its own; the message then leaves out how to add
     * the host's key.
     */
    HostKeyVerification verification(YamlNode entry, String host, Integer port) {
        YamlNode policyNode = defaults.setting(entry, "hostKeyPolicy");
        HostKeyPolicy policy = policyNode == null ? HostKeyPolicy.STRICT : policy(policyNode);
        YamlNode fileNode = defaults.setting(entry, "knownHosts");
        String written = fileNode == null ? DEFAULT_KNOWN_HOSTS : reader.string(fileNode);
        if (policy == null || written == null) {
            return null;
        }
        Path file = reader.localPath(written);
        YamlNode at = fileNode == null ? entry : fileNode;
        String atPath = fileNode == null ? ConfigReader.path(entry, "knownHosts") : fileNode.path;
        String shown = fileNode == null ? written + " (the default, " + file + ")" : ConfigReader.shown(written, file);
        if (policy == HostKeyPolicy.ACCEPT_NEW) {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                reader.problem(at, atPath, shown + " is not a file: give the known_hosts file to record host keys in");
                return null;
            }
            if (Files.exists(file) && !(Files.isReadable(file) && Files.isWritable(file))) {
                reader.problem(
                        at,
                        atPath,
                        shown + " cannot be read and written by this user, and accept-new records the keys of new"
                                + " hosts in it: make it readable and writable");
                return null;
            }
            return HostKeyVerification.acceptNew(file);
        }
        String addHost = host == null || port == null
                ? ""
                : ": after checking " + host + "'s key fingerprint (ssh-keyscan -p " + port + " " + host
                        + " | ssh-keygen -lf - shows it; compare with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"
                        + " run on the host), add it with ssh-keyscan -p " + port + " " + host + " >> " + file;
        if (!Files.exists(file)) {
            reader.problem(
                    at,
                    atPath,
                    shown + " does not exist, and strict host key checking trusts only the host keys listed there"
                            + addHost + "; or set hostKeyPolicy: accept-new to record each host's key on first"
                            + " connection");
            return null;
        }
        if (!Files.isRegularFile(file)) {
            reader.problem(at, atPath, shown + " is not a file: give the known_hosts file listing the hosts' keys");
            return null;
        }
        if (!Files.isReadable(file)) {
            reader.problem(at, atPath, shown + " cannot be read by this user: make it readable");
            return null;
        }
        return HostKeyVerification.knownHostsFile(file);
    }
}

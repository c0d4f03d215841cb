package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.support.Text;

/**
 * Where an SSH host listens, as a person writes it in one field ({@code web-1}, {@code web-1:2222},
 * {@code [2001:db8::7]:2222}, {@code 2001:db8::7}): the host as {@link SshTarget} takes it (an IPv6
 * address without its brackets) and the port. The user is never part of it: it comes with the SSH
 * credentials.
 */
public record SshAddress(String host, int port) {
    public SshAddress {
        host = SshTarget.checkHost(host);
        SshTarget.checkPort(port, host);
    }

    /**
     * Reads {@code host}, {@code host:port}, {@code [v6address]}, {@code [v6address]:port} or a bare
     * IPv6 address ({@code 2001:db8::7}, which takes {@code defaultPort}: a bare address has no room
     * for a port).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code written} and what to write
     */
    public static SshAddress parse(String written, int defaultPort) {
        String text = written == null ? "" : written.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(
                    "SSH host is empty: give a host name or an IP address, optionally with :port (web-1:2222)");
        }
        if (text.contains("://")) {
            throw new IllegalArgumentException("SSH host " + Text.quote(text)
                    + " is a URL: give the host name or IP address alone, optionally with :port (web-1:2222)");
        }
        if (text.contains("@")) {
            throw new IllegalArgumentException("SSH host " + Text.quote(text)
                    + " includes a user: give the host alone (" + text.substring(text.indexOf('@') + 1)
                    + "); the user comes from the SSH credentials");
        }
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("SSH host " + Text.quote(text)
                        + " is invalid: close the IPv6 address with ], as in [2001:db8::7]:2222");
            }
            String rest = text.substring(close + 1);
            if (rest.isEmpty()) {
                return new SshAddress(text.substring(0, close + 1), defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("SSH host " + Text.quote(text)
                        + " is invalid: after the bracketed IPv6 address give nothing or :port, as in"
                        + " [2001:db8::7]:2222");
            }
            return new SshAddress(text.substring(0, close + 1), port(rest.substring(1), text));
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && colon == text.lastIndexOf(':')) {
            return new SshAddress(text.substring(0, colon), port(text.substring(colon + 1), text));
        }
        return new SshAddress(text, defaultPort);
    }

    private static int port(String port, String written) {
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(
                    "SSH port " + Text.quote(port) + " of " + Text.quote(written) + " is invalid: use 1 to 65535");
        }
        return Integer.parseInt(port);
    }

    /** {@code web-1:22}, {@code [2001:db8::7]:2222}: how {@link #parse} reads it back. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}

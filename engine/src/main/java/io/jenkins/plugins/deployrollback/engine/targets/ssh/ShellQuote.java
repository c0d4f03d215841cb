package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import java.util.List;

/** Quotes words for a POSIX shell, so that nothing the user typed is ever interpreted by it. */
final class ShellQuote {
    private ShellQuote() {}

    /** {@code it's} becomes {@code 'it'"'"'s'}: one word, whatever it holds. */
    static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("A NUL character cannot be passed to a remote command");
        }
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    /**
     * The command line that runs {@code script} with /bin/sh, whatever the login shell, with
     * {@code name} as its $0 and {@code args} as $1…
     */
    static String script(String script, String name, List<String> args) {
        StringBuilder command = new StringBuilder("exec /bin/sh -c ")
                .append(quote(script))
                .append(' ')
                .append(quote(name));
        for (String arg : args) {
            command.append(' ').append(quote(arg));
        }
        return command.toString();
    }
}

package io.jenkins.plugins.deployrollback.cli.config;

import java.util.List;

/** The configuration file has problems; each line names the file, the line, the key and what is allowed. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

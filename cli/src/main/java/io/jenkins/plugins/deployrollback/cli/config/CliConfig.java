package io.jenkins.plugins.deployrollback.cli.config;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A loaded configuration: the file it came from, the folder for history and kept artifacts, the
 * environments by name, and the secrets it reads from environment variables (kept from every command
 * run on this machine).
 */
public record CliConfig(Path file, Path stateFolder, Map<EnvironmentName, Environment> environments, Secrets secrets) {

    /** The environment called {@code name}, or an error listing the ones there are. */
    public Environment environment(String name) {
        EnvironmentName key = EnvironmentName.of(name);
        Environment environment = environments.get(key);
        if (environment == null) {
            throw new ConfigException(
                    java.util.List.of(file + ": no environment " + name + " is configured; configured: "
                            + String.join(
                                    ", ",
                                    environments.keySet().stream()
                                            .map(EnvironmentName::value)
                                            .toList())));
        }
        return environment;
    }
}

package io.jenkins.plugins.deployrollback.engine.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An operating-system program that some tests run for real (an sshd, nginx, Prometheus, curl), and the
 * Debian package that installs it. {@link #require(SystemProgram...)} is how a test or a fixture says
 * it needs one: where one is missing the test is skipped, naming it and the {@code apt-get install}
 * line that enables it ({@link MissingProgram}); under CI ({@code CI=true}) a missing program fails the
 * test instead, since CI must run every test. {@link SkippedTests} records each skip and
 * {@link SkippedTestsSummary} prints them once at the end of the build.
 */
public enum SystemProgram {
    SSHD("sshd", "/usr/sbin/sshd", "openssh-server"),
    SFTP_SERVER("sftp-server", "/usr/lib/openssh/sftp-server", "openssh-server"),
    SSH("ssh", null, "openssh-client"),
    SCP("scp", null, "openssh-client"),
    SSH_KEYGEN("ssh-keygen", null, "openssh-client"),
    PROMETHEUS("prometheus", "/usr/bin/prometheus", "prometheus"),
    NGINX("nginx", "/usr/sbin/nginx", "nginx-light"),
    CURL("curl", null, "curl"),
    UNSHARE("unshare", null, "util-linux"),
    BASH("bash", null, "bash"),
    ZSH("zsh", null, "zsh");

    /** The environment variable, and its value, under which nothing may be skipped. */
    static final String CI = "CI";

    private final String command;
    private final String fixedPath;
    private final String debianPackage;

    SystemProgram(String command, String fixedPath, String debianPackage) {
        this.command = command;
        this.fixedPath = fixedPath;
        this.debianPackage = debianPackage;
    }

    /** What a test runs: the fixed path where tests start it by path, else the name looked up in PATH. */
    public String command() {
        return fixedPath != null ? fixedPath : command;
    }

    public String debianPackage() {
        return debianPackage;
    }

    /** Where it is installed, if it is. */
    public Optional<Path> location() {
        if (fixedPath != null) {
            Path path = Path.of(fixedPath);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String searchPath = System.getenv("PATH");
        if (searchPath == null) {
            return Optional.empty();
        }
        return Arrays.stream(searchPath.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }

    public boolean isInstalled() {
        return location().isPresent();
    }

    @Override
    public String toString() {
        return command;
    }

    /**
     * Returns when every one of {@code programs} is installed. Otherwise skips the calling test with a
     * {@link MissingProgram} naming them and their packages, or, under {@code CI=true}, fails it.
     */
    public static void require(SystemProgram... programs) {
        check(Arrays.stream(programs).filter(p -> !p.isInstalled()).toList(), underCi());
    }

    /** What {@link #require} does once it knows which programs are {@code missing}. */
    static void check(List<SystemProgram> missing, boolean underCi) {
        if (missing.isEmpty()) {
            return;
        }
        if (underCi) {
            throw new AssertionError("This test needs " + describe(missing) + ", not installed here, and CI=true"
                    + " runs every test: " + installLine(missing));
        }
        throw new MissingProgram(missing);
    }

    /** {@code sshd and sftp-server (openssh-server), prometheus (prometheus)}: the programs by package. */
    static String describe(List<SystemProgram> programs) {
        Map<String, List<String>> byPackage = new LinkedHashMap<>();
        for (SystemProgram program : programs) {
            byPackage
                    .computeIfAbsent(program.debianPackage, p -> new ArrayList<>())
                    .add(program.command);
        }
        return byPackage.entrySet().stream()
                .map(e -> and(e.getValue()) + " (" + e.getKey() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String and(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /** {@code apt-get install openssh-server prometheus}: each package once, in the order given. */
    static String installLine(List<SystemProgram> programs) {
        Set<String> packages =
                programs.stream().map(p -> p.debianPackage).collect(Collectors.toCollection(LinkedHashSet::new));
        return "apt-get install " + String.join(" ", packages);
    }

    static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv(CI));
    }
}

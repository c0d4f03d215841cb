package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.testing.SystemProgram;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/** The completion scripts, loaded in a real bash and zsh. */
public class CompletionIT {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path script(String shell) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        assertThat(command.execute("completion", shell)).isEqualTo(ExitCode.OK);
        Path script = temp.getRoot().toPath().resolve("completion." + shell);
        Files.writeString(script, out.toString());
        return script;
    }

    /** What the shell offers for the words typed after {@code deploy-rollback}, the last being completed. */
    private static String run(List<String> command, Path home) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private String completeInBash(Path script, String typed, int word) throws Exception {
        return run(
                List.of(
                        SystemProgram.BASH.command(),
                        "--norc",
                        "-c",
                        "source \"$0\"; COMP_LINE=\"deploy-rollback $1\"; COMP_WORDS=(deploy-rollback $1);"
                                + " COMP_CWORD=$2; COMP_POINT=${#COMP_LINE}; _complete_deploy-rollback 2>/dev/null;"
                                + " printf '%s\\n' \"${COMPREPLY[@]}\"",
                        script.toString(),
                        typed,
                        String.valueOf(word)),
                temp.getRoot().toPath());
    }

    @Test
    public void bashCompletesCommandsAndTheirOptions() throws Exception {
        SystemProgram.require(SystemProgram.BASH);
        Path script = script("bash");

        assertThat(completeInBash(script, "che", 1).lines()).containsExactly("check-config");
        assertThat(completeInBash(script, "ver", 1).lines()).containsExactlyInAnyOrder("verify", "verify-releases");
        assertThat(completeInBash(script, "deploy --allow", 2).lines()).containsExactly("--allow-empty");
        assertThat(completeInBash(script, "rollback --to-b", 2).lines()).containsExactly("--to-build");
    }

    @Test
    public void zshLoadsTheScriptAndRegistersItForTheCommand() throws Exception {
        SystemProgram.require(SystemProgram.ZSH);
        Path script = script("zsh");

        String registered = run(
                List.of(
                        SystemProgram.ZSH.command(),
                        "-f",
                        "-c",
                        "source \"$1\" && print -r -- \"${_comps[deploy-rollback]}\"",
                        "zsh",
                        script.toString()),
                temp.getRoot().toPath());

        assertThat(registered.strip()).isEqualTo("_bash_complete -F _complete_deploy-rollback -o default");
    }
}

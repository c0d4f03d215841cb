package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

public class MainTest {
    @Test
    public void eachCommandIsListedUnderTheNameItsClassGivesIt() {
        for (Main.Subcommand subcommand : Main.SUBCOMMANDS) {
            assertThat(subcommand.type().getAnnotation(Command.class).name())
                    .as(subcommand.type().getSimpleName())
                    .isEqualTo(subcommand.name());
        }
    }

    @Test
    public void aCommandLineThatNamesACommandHoldsOnlyThatOne() {
        CommandLine rollback = Main.commandLine(Invocation.thisProcess(), new String[] {"rollback", "staging"});

        assertThat(rollback.getSubcommands()).containsOnlyKeys("rollback");
        // The settings reach the command it holds.
        assertThat(rollback.getSubcommands().get("rollback").getUsageHelpWidth())
                .isEqualTo(100);
        assertThat(rollback.getSubcommands().get("rollback").isCaseInsensitiveEnumValuesAllowed())
                .isTrue();
    }

    @Test
    public void withoutACommandOrWithAMistypedOneOrForCompletionItHoldsThemAll() {
        String[] names = Main.SUBCOMMANDS.stream().map(Main.Subcommand::name).toArray(String[]::new);
        for (String[] args : new String[][] {{}, {"--help"}, {"rollbak"}, {"completion", "bash"}}) {
            assertThat(Main.commandLine(Invocation.thisProcess(), args).getSubcommands())
                    .as(String.join(" ", args))
                    .containsOnlyKeys(names);
        }
    }

    @Test
    public void aMistypedCommandIsToldTheNamesClosestToIt() {
        String[] args = {"rollbak", "staging"};
        CommandLine commandLine = Main.commandLine(Invocation.thisProcess(), args);
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));

        int status = commandLine.execute(args);

        assertThat(status).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("Did you mean: deploy-rollback rollback or deploy-rollback roll-forward?");
    }
}

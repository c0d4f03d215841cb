package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CommandsTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private CliFixture cli;

    @Before
    public void setUp() throws Exception {
        cli = new CliFixture(temp.getRoot().toPath(), null);
    }

    @After
    public void tearDown() {
        cli.close();
    }

    @Test
    public void deployWithJsonPrintsTheResultOnStandardOutputAndProgressOnStandardError() throws Exception {
        CliFixture.Result result = cli.deploy("r1", true, "--json");

        assertThat(result.status()).as(result.toString()).isEqualTo(ExitCode.OK);
        Map<String, Object> json = result.json();
        assertThat(json)
                .containsEntry("outcome", "SUCCEEDED")
                .containsEntry("release", "r1")
                .containsEntry("live", "r1")
                .containsEntry("lastKnownGood", "r1")
                .containsEntry("rolledBack", false);
        assertThat(result.err()).contains("[switch] Switching staging to r1");
        assertThat(cli.live()).isEqualTo("releases/r1");
    }

    @Test
    public void releaseRolledBackByItsHealthCheckExitsWithStatus3AndShowsTheEvidence() throws Exception {
        cli.deploy("r1", true);

        CliFixture.Result result = cli.deploy("r2", false);

        assertThat(result.status()).as(result.toString()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(result.out())
                .contains("ROLLED_BACK: r2 failed and staging was rolled back to r1.")
                .contains("GET " + cli.server.url("/health") + ": error rate 100% (1 of 1); 1 x status 500");
        assertThat(cli.live()).isEqualTo("releases/r1");
    }

    @Test
    public void historyShowsEveryRecordWithItsCauseAndJsonHasTheDerivedReleases() throws Exception {
        cli.deploy("r1", true);
        cli.deploy("r2", false);

        CliFixture.Result table = cli.run("history", "staging");
        CliFixture.Result json = cli.run("history", "staging", "--json");

        assertThat(table.out())
                .contains("History of staging (2 records; live: r1, last known good: r1)")
                .containsPattern("2 +\\S+ \\S+ +deploy +r2 +r1 +ROLLED_BACK +r1 +tester")
                .contains("cause: Gate health FAIL");
        assertThat(json.json()).containsEntry("live", "r1").containsEntry("lastKnownGood", "r1");
        assertThat((List<?>) json.json().get("records")).hasSize(2);
    }

    @Test
    public void unsafeArchiveIsRefusedWithStatus2AndNothingIsWritten() throws Exception {
        Path archive = temp.getRoot().toPath().resolve("evil.tar.gz");
        try (OutputStream file = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            byte[] content = "owned\n".getBytes();
            TarArchiveEntry entry = new TarArchiveEntry("../../evil.sh");
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }

        CliFixture.Result result = cli.run("deploy", "staging", "--release", "r1", "--artifact", archive.toString());

        assertThat(result.status()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("Unsafe artifact", "\"../../evil.sh\" contains '..'", "Nothing was written");
        try (var files = Files.list(cli.target)) {
            assertThat(files).isEmpty();
        }
        assertThat(cli.dir.resolve("state")).doesNotExist();
        assertThat(temp.getRoot().toPath().getParent().resolve("evil.sh")).doesNotExist();
    }

    @Test
    public void emptyArtifactIsRefusedWithStatus2NamingItAndTheLiveReleaseStaysUnlessAllowed() throws Exception {
        assertThat(cli.deploy("r1", true).status()).isEqualTo(ExitCode.OK);
        Path onlyFolders = Files.createDirectories(temp.getRoot().toPath().resolve("build/out/static"));
        Path artifact = onlyFolders.getParent();

        CliFixture.Result refused = cli.run("deploy", "staging", "--release", "r2", "--artifact", artifact.toString());

        assertThat(refused.status()).as(refused.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err())
                .contains("error: Artifact " + artifact + "/ holds no file, only 1 empty folder")
                .contains("--allow-empty")
                .contains("Nothing was written.");
        assertThat(cli.live()).isEqualTo("releases/r1");
        assertThat(cli.target.resolve("releases/r2")).doesNotExist();
        assertThat(cli.run("history", "staging").out()).doesNotContain("r2");

        CliFixture.Result allowed =
                cli.run("deploy", "staging", "--release", "r2", "--artifact", artifact.toString(), "--allow-empty");

        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(ExitCode.OK);
        assertThat(cli.live()).isEqualTo("releases/r2");
        assertThat(cli.target.resolve("releases/r2/static")).isDirectory();
    }

    @Test
    public void truncatedArchiveIsRefusedWithStatus2NamingItAndWhatIsWrong() throws Exception {
        Path archive = temp.getRoot().toPath().resolve("r1.tar.gz");
        try (OutputStream file = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            byte[] content = new byte[64 * 1024];
            new java.util.Random(7).nextBytes(content);
            TarArchiveEntry entry = new TarArchiveEntry("app.bin");
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));

        CliFixture.Result result = cli.run("deploy", "staging", "--release", "r1", "--artifact", archive.toString());

        assertThat(result.status()).as(result.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err())
                .contains("error: Artifact " + archive + " is not a readable tar.gz archive: it ends early")
                .contains("Nothing was written.")
                .doesNotContain("Exception");
        try (var files = Files.list(cli.target)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    public void historyOfAnEnvironmentNeverConfiguredIsAUsageErrorLikeEveryCommand() throws Exception {
        CliFixture.Result history = cli.run("history", "stagign");
        CliFixture.Result json = cli.run("history", "stagign", "--json");

        assertThat(history.status()).as(history.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(history.err()).contains("no environment stagign is configured; configured: staging");
        assertThat(json.status()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    public void historyOfAnEnvironmentRemovedFromTheConfigurationIsStillShownWithAWarning() throws Exception {
        assertThat(cli.deploy("r1", true).status()).isEqualTo(ExitCode.OK);
        String config = Files.readString(cli.config);
        Files.writeString(cli.config, config.replace("  staging:", "  production:"));

        CliFixture.Result history = cli.run("history", "staging");

        assertThat(history.status()).as(history.toString()).isEqualTo(ExitCode.OK);
        assertThat(history.out()).contains("r1");
        assertThat(history.err()).contains("WARNING: environment staging is not configured in");
    }

    @Test
    public void keptArtifactsArePrunedAfterADeployButNeverThoseAnotherEnvironmentOfTheStateFolderNeeds()
            throws Exception {
        // production went live with r1 and keeps it; it shares the state folder, and is no longer
        // configured here, so the default retention is assumed for it.
        String config = Files.readString(cli.config);
        Files.writeString(cli.config, config.replace("  staging:", "  production:"));
        CliFixture.Result production = cli.run(
                "deploy",
                "production",
                "--release",
                "r1",
                "--artifact",
                cli.release("r1", true).toString());
        assertThat(production.status()).as(production.toString()).isEqualTo(ExitCode.OK);
        Files.writeString(cli.config, config.replace("    targets:", "    keepReleases: 2\n    targets:"));

        for (int i = 2; i <= 7; i++) {
            CliFixture.Result deployed = cli.deploy("r" + i, true);
            assertThat(deployed.status()).as(deployed.toString()).isEqualTo(ExitCode.OK);
        }
        CliFixture.Result last = cli.deploy("r8", true);

        assertThat(last.status()).as(last.toString()).isEqualTo(ExitCode.OK);
        assertThat(last.out())
                .contains("Removed the kept artifacts of r6 from the state folder (")
                .contains("no environment keeps them any more");
        try (var kept = Files.list(cli.dir.resolve("state/artifacts"))) {
            assertThat(kept.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                    .containsExactlyInAnyOrder("r1", "r7", "r8");
        }
        CliFixture.Result rollback = cli.run("rollback", "staging");
        assertThat(rollback.status()).as(rollback.toString()).isEqualTo(ExitCode.OK);
        assertThat(cli.live()).isEqualTo("releases/r7");
    }

    @Test
    public void releaseEditedOnTheTargetIsReportedByVerifyReleasesAndStagedAgainByTheRollback() throws Exception {
        assertThat(cli.deploy("r1", true).status()).isEqualTo(ExitCode.OK);
        assertThat(cli.deploy("r2", true).status()).isEqualTo(ExitCode.OK);
        assertThat(cli.run("verify-releases", "staging").status()).isEqualTo(ExitCode.OK);
        Files.writeString(cli.target.resolve("releases/r1/index.html"), "edited on the host\n");

        CliFixture.Result verified = cli.run("verify-releases", "staging");
        CliFixture.Result rolledBack = cli.run("rollback", "staging");

        assertThat(verified.status()).as(verified.toString()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(verified.out())
                .contains("staging  web-1  releases/r1: CHANGED: 1 file differs from the manifest (index.html)")
                .contains("staging  web-1  releases/r2: intact")
                .contains("2 release folders checked, 1 not intact");
        assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(ExitCode.OK);
        assertThat(rolledBack.out())
                .contains("web-1: releases/r1 was changed on this target after it was staged")
                .contains("staged r1 from its kept artifacts");
        assertThat(cli.live()).isEqualTo("releases/r1");
        assertThat(cli.target.resolve("current/index.html")).hasContent("release r1");
        assertThat(cli.run("verify-releases", "staging").status()).isEqualTo(ExitCode.OK);
    }

    @Test
    public void currentThatIsARealFolderIsRefusedWithStatus5BeforeAnythingIsStaged() throws Exception {
        Files.createDirectories(cli.target.resolve("current"));
        Files.writeString(cli.target.resolve("current/index.html"), "hand-copied site\n");

        CliFixture.Result refused = cli.deploy("r1", true);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.out() + refused.err())
                .contains(
                        "On web-1, current is a real file or folder, not a link, so it cannot be switched in one step");
        assertThat(cli.target.resolve("releases/r1")).doesNotExist();
        assertThat(cli.target.resolve("current/index.html")).hasContent("hand-copied site");
    }

    @Test
    public void refusedRollbackExitsWithStatus5AndPrintsThePlan() throws Exception {
        cli.deploy("r1", true);

        CliFixture.Result result = cli.run("rollback", "staging");

        assertThat(result.status()).isEqualTo(ExitCode.REFUSED);
        assertThat(result.err()).contains("rollback staging: r1 -> (none)", "No release other than r1 ever succeeded");
        assertThat(cli.live()).isEqualTo("releases/r1");
    }

    @Test
    public void planChangesNothingAndShowsSwitchOrRedeployPerTarget() throws Exception {
        cli.deploy("r1", true);
        cli.deploy("r2", true);
        String ledger = Files.readString(cli.target.resolve(".deploy/ledger"));

        CliFixture.Result plan = cli.run("plan", "rollback", "staging");

        assertThat(plan.status()).isEqualTo(ExitCode.OK);
        assertThat(plan.out())
                .contains(
                        "rollback staging: r2 -> r1  (last known good release other than r2)",
                        "target web-1: SWITCH (live now: r2)",
                        "gates: skipped");
        assertThat(Files.readString(cli.target.resolve(".deploy/ledger"))).isEqualTo(ledger);
        assertThat(cli.live()).isEqualTo("releases/r2");
    }

    @Test
    public void verifyExitsWith6WhenTheLiveReleaseFailsItsChecks() throws Exception {
        cli.deploy("r1", true);
        Files.writeString(cli.target.resolve("current/status"), "503\n");

        CliFixture.Result result = cli.run("verify", "staging");

        assertThat(result.status()).as(result.toString()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(result.out()).contains("verify staging (live: r1): FAIL", "503");
    }

    @Test
    public void statusReportsATargetChangedByHandAsMixed() throws Exception {
        cli.deploy("r1", true);
        cli.deploy("r2", true);
        Path link = cli.target.resolve("current-by-hand");
        Files.createSymbolicLink(link, Path.of("releases/r1"));
        Files.move(link, cli.target.resolve("current"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        CliFixture.Result result = cli.run("status", "staging");

        assertThat(result.out())
                .contains("Environment staging: live r2 (recorded), last known good r2 - MIXED: web-1 serves r1, but"
                        + " the history records r2 as live")
                .containsPattern("web-1 +r1 +r1 r2 +- +r1 -> r2 by tester \\(deploy\\) at ");
    }

    @Test
    public void statusSaysTheEnvironmentIsConsistentAndWhoSwitchedEachTargetLast() throws Exception {
        cli.deploy("r1", true);
        cli.deploy("r2", true);

        CliFixture.Result result = cli.run("status", "staging");

        assertThat(result.status()).isEqualTo(ExitCode.OK);
        assertThat(result.out().lines().toList())
                .startsWith(
                        "Environment staging: live r2 (recorded), last known good r2 - consistent: every target serves"
                                + " r2",
                        "TARGET  LIVE  RELEASES ON TARGET (oldest first)  LOCK  LAST SWITCH (UTC)")
                .anySatisfy(line -> assertThat(line)
                        .matches("web-1 +r2 +r1 r2 +- +r1 -> r2 by tester \\(deploy\\) at \\d{4}-\\d\\d-\\d\\d"
                                + " \\d\\d:\\d\\d:\\d\\d"));
        assertThat(cli.run("status", "staging", "--json").out())
                .contains("\"lastSwitch\"", "\"actor\" : \"tester\"", "\"slots\"");
    }

    @Test
    public void releasesListsEveryFolderOnTheTargetWithItsSizeAndWhatItIs() throws Exception {
        assertThat(cli.deploy("r1", true).status()).isEqualTo(ExitCode.OK);
        assertThat(cli.deploy("r2", true).status()).isEqualTo(ExitCode.OK);
        assertThat(cli.deploy("r3", true).status()).isEqualTo(ExitCode.OK);
        io.jenkins.plugins.deployrollback.engine.support.FileTrees.delete(cli.dir.resolve("state/artifacts/r1"));

        CliFixture.Result releases = cli.run("releases", "staging");
        CliFixture.Result json = cli.run("releases", "staging", "--json");

        assertThat(releases.status()).as(releases.toString()).isEqualTo(ExitCode.OK);
        assertThat(releases.out().lines())
                .contains("Environment staging: live r3 (recorded), last known good r3, previous r2")
                .anyMatch(l -> l.matches(
                        "web-1 +r3 +r3 +11 B +1 +[0-9-]+ [0-9:]+ +kept +serving, live, last known good, never pruned"))
                .anyMatch(l -> l.matches("web-1 +r2 +r2 +11 B +1 +[0-9-]+ [0-9:]+ +kept +previous, never pruned"))
                .anyMatch(l -> l.matches("web-1 +r1 +r1 +11 B +1 +[0-9-]+ [0-9:]+ +none +-"));
        assertThat(json.out()).contains("\"release\" : \"r1\"").contains("\"artifactsKept\" : false");
    }

    @Test
    public void checkConfigSummarisesAValidFileAndWritesNothing() throws Exception {
        CliFixture.Result checked = cli.run("check-config");

        assertThat(checked.status()).as(checked.toString()).isEqualTo(ExitCode.OK);
        assertThat(checked.out())
                .contains("deploy-rollback.yaml: valid; 1 environment, state folder")
                .contains("staging: 1 target (web-1 (localhost)), all at once")
                .contains("keeps 5 releases; automatic rollback on");
        assertThat(cli.dir.resolve("state")).doesNotExist();
    }

    @Test
    public void checkConfigListsEveryProblemWithItsLineAndExitsWith2() throws Exception {
        String config = Files.readString(cli.config);
        Files.writeString(
                cli.config,
                config.replace("    targets:", "    keepReleases: 0\n    lockTimout: 5m\n    targets:")
                        .replace("attempts: 2", "attempts: many"));

        CliFixture.Result checked = cli.run("check-config", "--json");

        assertThat(checked.status()).as(checked.toString()).isEqualTo(ExitCode.USAGE);
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) checked.json().get("problems");
        assertThat(problems).hasSize(3);
        assertThat(String.join("\n", problems))
                .contains("deploy-rollback.yaml:4: environments.staging: keepReleases is 0: keep between 1 and 1000")
                .contains(
                        "deploy-rollback.yaml:5: environments.staging.lockTimout: is not a known setting (did you mean lockTimeout?)")
                .contains(
                        "deploy-rollback.yaml:11: environments.staging.healthCheck.attempts: \"many\" is not a whole number");
    }

    @Test
    public void badConfigurationExitsWith2NamingFileLineAndKey() throws Exception {
        Files.writeString(cli.config, "environments:\n  staging:\n    targets: [ { path: target, port: 22 } ]\n");

        CliFixture.Result result = cli.run("status");

        assertThat(result.status()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err())
                .contains("deploy-rollback.yaml:3: environments.staging.targets[0].port: applies to SSH targets only");
    }

    @Test
    public void configurationErrorsNeverRepeatAWrittenKeyOrPassphraseNotEvenInJson() throws Exception {
        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\\n"
                + "-----END OPENSSH PRIVATE KEY-----";
        Files.writeString(cli.config, """
                environments:
                  staging:
                    ssh:
                      user: deploy
                      identityFile: "%s"
                      passphrase: "correct horse battery staple"
                      path: /srv/app
                    targets: [ { host: web-1.example.com } ]
                """.formatted(key));

        CliFixture.Result result = cli.run("status", "staging", "--json");

        assertThat(result.status()).isEqualTo(ExitCode.USAGE);
        assertThat(result.json()).containsEntry("exitStatus", ExitCode.USAGE);
        assertThat((String) result.json().get("error"))
                .contains("environments.staging.ssh.identityFile: holds what looks like the private key itself")
                .contains("environments.staging.ssh.passphrase: a passphrase is never written in this file");
        assertThat(result.out() + result.err()).doesNotContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ", "horse");
    }

    @Test
    public void unknownOptionIsAUsageErrorWithStatus2() {
        CliFixture.Result result = cli.run("history", "staging", "--limt", "3");

        assertThat(result.status()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("Unknown options: '--limt'", "Possible solutions: --limit");
    }

    @Test
    public void verifyWithRollbackOnFailRollsBackToTheLastKnownGoodReleaseWithTheFailedCheckAsCause() throws Exception {
        cli.deploy("r1", true);
        cli.deploy("r2", true);
        Files.writeString(cli.target.resolve("current/status"), "503\n");

        CliFixture.Result result = cli.run("verify", "staging", "--rollback-on-fail");

        assertThat(result.status()).as(result.toString()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(result.out())
                .contains("verify staging (live: r2): FAIL", "SUCCEEDED: staging now serves r1 (was r2).");
        assertThat(cli.live()).isEqualTo("releases/r1");
        assertThat(cli.run("history", "staging").out()).contains("cause: verify failed: health FAIL");
    }

    @Test
    public void verifyWithRollbackOnFailStillReportsTheFailedCheckWhenTheRollbackIsRefused() throws Exception {
        cli.deploy("r1", true);
        Files.writeString(cli.target.resolve("current/status"), "503\n");

        CliFixture.Result result = cli.run("verify", "staging", "--rollback-on-fail");

        assertThat(result.status()).as(result.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(result.out())
                .contains(
                        "verify staging (live: r1): FAIL",
                        "GET " + cli.server.url("/health") + ": error rate 100% (1 of 1); 1 x status 503")
                .contains(
                        "No rollback: Refused to rollback staging; nothing was changed. No release other than r1 ever succeeded");
    }

    @Test
    public void approveAndRejectTogetherAreAUsageErrorAndNothingIsDeployed() throws Exception {
        CliFixture.Result result = cli.deploy("r1", true, "--approve", "--reject");

        assertThat(result.status()).as(result.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("--approve", "--reject", "mutually exclusive");
        assertThat(cli.live()).isNull();
    }

    @Test
    public void verifyWithoutGatesSaysSoAndExitsWith6BecauseNothingWasVerified() throws Exception {
        cli.deploy("r1", true);
        Files.writeString(cli.config, """
                state: state
                environments:
                  staging:
                    targets: [ { name: web-1, path: target } ]
                """);

        CliFixture.Result result = cli.run("verify", "staging");

        assertThat(result.status()).as(result.toString()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(result.out()).contains("verify staging (live: r1): INCONCLUSIVE (no gates are configured)");
    }

    @Test
    public void historyShowsTheGateEvidenceOfARecordUnderItsCause() throws Exception {
        cli.deploy("r1", true);
        cli.deploy("r2", false);

        CliFixture.Result result = cli.run("history", "staging");

        assertThat(result.out())
                .contains("   gate health FAIL:")
                .contains("     health (http) FAIL:")
                .contains("GET " + cli.server.url("/health") + ": error rate 100% (1 of 1); 1 x status 500");
    }
}

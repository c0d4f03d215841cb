package io.jenkins.plugins.deployrollback.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The layering docs/development.md describes, checked on the engine's compiled classes, so that a
 * change that breaks it fails the build and names the class and the dependency.
 */
public class LayeringTest {
    private static final String ENGINE = "io.jenkins.plugins.deployrollback.engine";

    private static JavaClasses engine;

    @BeforeClass
    public static void importTheEngine() {
        engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ENGINE);
    }

    @Test
    public void theEngineUsesNoJenkinsTypes() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage(ENGINE + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke..", "com.cloudbees..")
                .because("the engine runs the same in Jenkins, on the command line and in tests");
        rule.check(engine);
    }

    @Test
    public void theEngineKnowsNothingOfItsFrontEnds() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage(ENGINE + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.jenkins.plugins.deployrollback.cli..",
                        "io.jenkins.plugins.deployrollback.config..",
                        "io.jenkins.plugins.deployrollback.run..",
                        "io.jenkins.plugins.deployrollback.steps..",
                        "io.jenkins.plugins.deployrollback.ui..",
                        "picocli..")
                .because("dependencies flow one way: plugin -> engine <- cli");
        rule.check(engine);
    }

    @Test
    public void planningAndHistoryDoNotDependOnTheFlowThatUsesThem() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(ENGINE + ".plan..", ENGINE + ".history..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ENGINE + ".flow..")
                .because("the planner is pure (history and target states in, a plan out) and the history is data");
        rule.check(engine);
    }

    @Test
    public void targetsDoNotDependOnGates() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage(ENGINE + ".targets..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ENGINE + ".gate..")
                .because("a target installs and switches releases; judging them is the gates' business");
        rule.check(engine);
    }

    @Test
    public void nothingBelowTheFlowDependsOnIt() {
        // remote sits above the flow: it carries the flow's requests and results across a channel.
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage(ENGINE + "..")
                .and()
                .resideOutsideOfPackages(ENGINE + ".flow..", ENGINE + ".remote..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ENGINE + ".flow..")
                .because("the flow is the top of the engine: everything else is used by it, not the other way");
        rule.check(engine);
    }
}

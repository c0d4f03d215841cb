package io.jenkins.plugins.deployrollback.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.testing.Archives;
import io.jenkins.plugins.deployrollback.engine.testing.FileTreeSnapshot;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class UnsafeArtifactTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path sandbox;
    private Path output;
    private Stack stack;

    @Before
    public void setUp() throws Exception {
        // Archives sit two levels deep, so "../evil" and "../../outside" would land inside the temporary folder.
        sandbox = temp.newFolder("sandbox", "archives").toPath();
        output = temp.newFolder("sandbox", "output").toPath();
        stack = new Stack(temp.newFolder("stack").toPath(), 1);
    }

    @After
    public void tearDown() {
        stack.close();
    }

    private Path tarGz(String name, java.util.function.UnaryOperator<Archives.TarGz> entries) throws Exception {
        return entries.apply(Archives.tarGz(sandbox.resolve(name + ".tar.gz"))).write();
    }

    private Path zip(String name, java.util.function.UnaryOperator<Archives.Zip> entries) throws Exception {
        return entries.apply(Archives.zip(sandbox.resolve(name + ".zip"))).write();
    }

    /**
     * Reads {@code artifact} the way a deploy does, and would deploy it to the stack if the read let it
     * through; asserts the read refuses with a message naming the artifact and {@code expected}, and that
     * nothing was written: not in the temporary folder, not on the target, not in the history.
     */
    private void assertRefusedBeforeAnythingIsWritten(Path artifact, String... expected) throws Exception {
        List<String> before = FileTreeSnapshot.of(temp.getRoot().toPath());

        assertThatThrownBy(() -> {
                    ArtifactSource source = ArtifactSource.of(artifact);
                    Release release = new Release(
                            ReleaseId.of("evil"), "1.0", "build-evil", Set.of(), ReleaseReader.read(source));
                    stack.deploy(new ReleaseFolders.Prepared(release, source));
                })
                .isInstanceOf(UnsafeArtifactException.class)
                .hasMessageStartingWith("Unsafe artifact " + artifact)
                .hasMessageContainingAll(expected)
                .hasMessageEndingWith("Nothing was written.");

        assertThat(FileTreeSnapshot.of(temp.getRoot().toPath())).isEqualTo(before);
        assertThat(FileTreeSnapshot.of(output)).containsExactly("D ");
        assertThat(stack.root().resolve("releases")).doesNotExist();
        assertThat(stack.root().resolve("current")).doesNotExist();
        assertThat(stack.base.resolve("state")).doesNotExist();
        assertThat(stack.engine.history(stack.name).records()).isEmpty();
        assertThat(Path.of("/etc/evil")).doesNotExist();
    }

    @Test
    public void tarEntryWithDotDotIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path tar = tarGz("dotdot", t -> t.file("index.html", "ok").file("../evil", "pwned"));

        assertRefusedBeforeAnythingIsWritten(
                tar, "entry \"../evil\" contains '..': it would be written outside the release folder");
    }

    @Test
    public void zipEntryWithDotDotIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path zip = zip("dotdot", z -> z.file("index.html", "ok").file("../evil", "pwned"));

        assertRefusedBeforeAnythingIsWritten(zip, "entry \"../evil\" contains '..'");
    }

    @Test
    public void tarEntryClimbingOutOfASubfolderIsRefused() throws Exception {
        Path tar = tarGz("climb", t -> t.directory("a").file("a/../../evil", "pwned"));

        assertRefusedBeforeAnythingIsWritten(tar, "entry \"a/../../evil\" contains '..'");
    }

    @Test
    public void zipEntryClimbingOutOfASubfolderIsRefused() throws Exception {
        Path zip = zip("climb", z -> z.directory("a").file("a/../../evil", "pwned"));

        assertRefusedBeforeAnythingIsWritten(zip, "entry \"a/../../evil\" contains '..'");
    }

    @Test
    public void tarEntryWithAbsolutePathIsRefused() throws Exception {
        Path tar = tarGz("absolute", t -> t.file("/etc/evil", "pwned"));

        assertRefusedBeforeAnythingIsWritten(tar, "entry \"/etc/evil\" has an absolute path");
    }

    @Test
    public void zipEntryWithAbsolutePathIsRefused() throws Exception {
        Path zip = zip("absolute", z -> z.file("/etc/evil", "pwned"));

        assertRefusedBeforeAnythingIsWritten(zip, "entry \"/etc/evil\" has an absolute path");
    }

    @Test
    public void tarSymlinkToAnAbsolutePathIsRefused() throws Exception {
        Path tar = tarGz("passwd", t -> t.symlink("passwd", "/etc/passwd"));

        assertRefusedBeforeAnythingIsWritten(
                tar, "link \"passwd\" -> \"/etc/passwd\" points to an absolute path outside the release");
    }

    @Test
    public void zipSymlinkToAnAbsolutePathIsRefused() throws Exception {
        Path zip = zip("passwd", z -> z.symlink("passwd", "/etc/passwd"));

        assertRefusedBeforeAnythingIsWritten(
                zip, "link \"passwd\" -> \"/etc/passwd\" points to an absolute path outside the release");
    }

    @Test
    public void tarSymlinkPointingUpAndOutIsRefused() throws Exception {
        Path tar = tarGz("up", t -> t.symlink("up", "../../outside"));

        assertRefusedBeforeAnythingIsWritten(tar, "link \"up\" -> \"../../outside\" points outside the release folder");
    }

    @Test
    public void zipSymlinkPointingUpAndOutIsRefused() throws Exception {
        Path zip = zip("up", z -> z.symlink("up", "../../outside"));

        assertRefusedBeforeAnythingIsWritten(zip, "link \"up\" -> \"../../outside\" points outside the release folder");
    }

    @Test
    public void tarSymlinkInASubfolderClimbingOneLevelTooFarIsRefused() throws Exception {
        Path tar = tarGz("deep-up", t -> t.directory("a/b").symlink("a/b/up", "../../../outside"));

        assertRefusedBeforeAnythingIsWritten(
                tar, "link \"a/b/up\" -> \"../../../outside\" points outside the release folder");
    }

    @Test
    public void tarSymlinkClimbingOutThroughAnotherSymlinkIsRefused() throws Exception {
        Path tar = tarGz(
                "through", t -> t.directory("deep").symlink("deep/sub", "..").symlink("up", "deep/sub/.."));

        assertRefusedBeforeAnythingIsWritten(
                tar,
                "link \"up\" -> \"deep/sub/..\" points outside the release folder once the links on its way are followed");
    }

    @Test
    public void zipSymlinkClimbingOutThroughAnotherSymlinkIsRefused() throws Exception {
        Path zip = zip(
                "through", z -> z.directory("deep").symlink("deep/sub", "..").symlink("up", "deep/sub/.."));

        assertRefusedBeforeAnythingIsWritten(
                zip, "link \"up\" -> \"deep/sub/..\" points outside the release folder once the links");
    }

    @Test
    public void chainOfSymlinksEachClimbingOneLevelIsRefused() throws Exception {
        Path tar = tarGz("chain", t -> t.file("index.html", "ok")
                .symlink("root", ".")
                .symlink("p1", "root/..")
                .symlink("p2", "p1/..")
                .symlink("passwd", "p2/etc/passwd"));

        assertRefusedBeforeAnythingIsWritten(
                tar, "link \"p1\" -> \"root/..\" points outside the release folder once the links");
    }

    @Test
    public void folderWithASymlinkClimbingOutThroughAnotherSymlinkIsRefused() throws Exception {
        Path folder = stack.releases.folder("through", Map.of("deep/index.html", "ok"));
        Files.createSymbolicLink(folder.resolve("deep/sub"), Path.of(".."));
        Files.createSymbolicLink(folder.resolve("up"), Path.of("deep/sub/.."));

        assertRefusedBeforeAnythingIsWritten(
                folder, "link \"up\" -> \"deep/sub/..\" points outside the release folder once the links");
    }

    @Test
    public void tarEntryPlacedBeneathASymlinkIsRefused() throws Exception {
        Path tar = tarGz(
                "beneath", t -> t.symlink("link", "docs").directory("docs").file("link/x", "through the link"));

        assertRefusedBeforeAnythingIsWritten(tar, "entry \"link/x\"", "beneath the link \"link\"");
    }

    @Test
    public void zipEntryPlacedBeneathASymlinkIsRefused() throws Exception {
        Path zip =
                zip("beneath", z -> z.symlink("link", "docs").directory("docs").file("link/x", "through the link"));

        assertRefusedBeforeAnythingIsWritten(zip, "entry \"link/x\"", "beneath the link \"link\"");
    }

    @Test
    public void tarFolderPlacedBeneathASymlinkIsRefused() throws Exception {
        Path tar = tarGz("folder-beneath", t -> t.symlink("link", ".").directory("link/sub"));

        assertRefusedBeforeAnythingIsWritten(tar, "entry \"link/sub\"", "beneath the link \"link\"");
    }

    @Test
    public void tarHardLinkToAnEntryNotInTheArchiveIsRefused() throws Exception {
        Path tar = tarGz("hardlink", t -> t.file("index.html", "ok").hardLink("shadow", "/etc/shadow"));

        assertRefusedBeforeAnythingIsWritten(tar, "hard link \"shadow\" -> \"/etc/shadow\"");
    }

    @Test
    public void tarHardLinkToALaterEntryIsRefused() throws Exception {
        Path tar = tarGz("hardlink-forward", t -> t.hardLink("copy", "original").file("original", "ok"));

        assertRefusedBeforeAnythingIsWritten(
                tar, "hard link \"copy\" -> \"original\" does not point to an earlier file of the archive");
    }

    @Test
    public void tarCharacterDeviceIsRefused() throws Exception {
        Path tar = tarGz("device", t -> t.file("index.html", "ok").characterDevice("dev/console"));

        assertRefusedBeforeAnythingIsWritten(tar, "entry \"dev/console\" is neither a file, a folder nor a link");
    }

    @Test
    public void tarFifoIsRefused() throws Exception {
        Path tar = tarGz("fifo", t -> t.fifo("pipe"));

        assertRefusedBeforeAnythingIsWritten(tar, "entry \"pipe\" is neither a file, a folder nor a link");
    }

    @Test
    public void tarEntryWithBackslashIsRefused() throws Exception {
        Path tar = tarGz("backslash", t -> t.file("..\\evil", "pwned"));

        assertRefusedBeforeAnythingIsWritten(
                tar, "entry \"..\\\\evil\" contains a backslash: use '/' as the separator");
    }

    @Test
    public void zipEntryWithBackslashIsRefused() throws Exception {
        Path zip = zip("backslash", z -> z.file("..\\evil", "pwned"));

        assertRefusedBeforeAnythingIsWritten(zip, "entry \"..\\\\evil\" contains a backslash");
    }

    @Test
    public void folderWithASymlinkPointingOutOfItIsRefused() throws Exception {
        Path folder = stack.releases.folder("escape", Map.of("index.html", "ok"));
        Files.createSymbolicLink(folder.resolve("outside"), Path.of("../../outside"));

        assertRefusedBeforeAnythingIsWritten(
                folder, "link \"outside\" -> \"../../outside\" points outside the release folder");
    }

    @Test
    public void folderWithASymlinkToAnAbsolutePathIsRefused() throws Exception {
        Path folder = stack.releases.folder("absolute", Map.of("index.html", "ok"));
        Files.createSymbolicLink(folder.resolve("passwd"), Path.of("/etc/passwd"));

        assertRefusedBeforeAnythingIsWritten(folder, "link \"passwd\" -> \"/etc/passwd\" points to an absolute path");
    }

    @Test
    public void safeArchiveNextToTheseCasesDeploys() throws Exception {
        Path tar = tarGz(
                "safe",
                t -> t.directory("docs").file("index.html", "release safe\n").symlink("docs/home", "../index.html"));
        ArtifactSource source = ArtifactSource.of(tar);
        Release release = new Release(ReleaseId.of("safe"), "1.0", "build-safe", Set.of(), ReleaseReader.read(source));

        stack.deploy(new ReleaseFolders.Prepared(release, source));

        assertThat(stack.live()).isEqualTo("releases/safe");
        assertThat(stack.page(0)).isEqualTo("release safe\n");
        assertThat(Files.readSymbolicLink(stack.root().resolve("releases/safe/docs/home")))
                .isEqualTo(Path.of("../index.html"));
    }
}

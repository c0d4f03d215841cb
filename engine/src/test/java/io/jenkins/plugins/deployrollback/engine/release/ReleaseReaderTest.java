package io.jenkins.plugins.deployrollback.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.testing.Archives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReleaseReaderTest {
    private static final String INDEX = "<h1>shop</h1>\n";
    private static final String RUN = "#!/bin/sh\nexec java -jar app.jar\n";
    private static final String GUIDE = "how to use the shop\n";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path folderRelease() throws Exception {
        Path folder = temp.newFolder("folder").toPath();
        Files.writeString(folder.resolve("index.html"), INDEX);
        Files.createDirectories(folder.resolve("bin"));
        Files.writeString(folder.resolve("bin/run"), RUN);
        Files.setPosixFilePermissions(folder.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(folder.resolve("docs"));
        Files.writeString(folder.resolve("docs/guide.txt"), GUIDE);
        Files.createDirectories(folder.resolve("empty"));
        Files.createSymbolicLink(folder.resolve("latest"), Path.of("index.html"));
        Files.createSymbolicLink(folder.resolve("docs/home"), Path.of("../index.html"));
        return folder;
    }

    private Path tarGzRelease() throws Exception {
        return Archives.tarGz(temp.getRoot().toPath().resolve("release.tar.gz"))
                .directory("bin")
                .directory("docs")
                .directory("empty")
                .file("index.html", INDEX)
                .executable("bin/run", RUN)
                .file("docs/guide.txt", GUIDE)
                .symlink("latest", "index.html")
                .symlink("docs/home", "../index.html")
                .write();
    }

    private Path zipRelease() throws Exception {
        return Archives.zip(temp.getRoot().toPath().resolve("release.zip"))
                .directory("bin")
                .directory("docs")
                .directory("empty")
                .file("index.html", INDEX)
                .executable("bin/run", RUN)
                .file("docs/guide.txt", GUIDE)
                .symlink("latest", "index.html")
                .symlink("docs/home", "../index.html")
                .write();
    }

    @Test
    public void folderTarGzAndZipOfTheSameContentReadToTheSameDigest() throws Exception {
        ReleaseContent folder = ReleaseReader.read(ArtifactSource.of(folderRelease()));
        ReleaseContent tarGz = ReleaseReader.read(ArtifactSource.of(tarGzRelease()));
        ReleaseContent zip = ReleaseReader.read(ArtifactSource.of(zipRelease()));

        assertThat(tarGz.manifest()).isEqualTo(folder.manifest());
        assertThat(zip.manifest()).isEqualTo(folder.manifest());
        assertThat(tarGz.digest())
                .isEqualTo(folder.digest())
                .isEqualTo(zip.digest())
                .isEqualTo(Sha256.of(folder.manifest()));
    }

    @Test
    public void everyFileIsRecordedWithSizeChecksumAndExecutableBit() throws Exception {
        ReleaseContent content = ReleaseReader.read(ArtifactSource.of(folderRelease()));

        assertThat(content.artifacts())
                .containsExactly(
                        new Artifact("bin/run", RUN.length(), Sha256.of(RUN), true),
                        new Artifact("docs/guide.txt", GUIDE.length(), Sha256.of(GUIDE), false),
                        new Artifact("index.html", INDEX.length(), Sha256.of(INDEX), false));
        assertThat(content.directories()).containsExactly("bin", "docs", "empty");
        assertThat(content.totalSize()).isEqualTo(RUN.length() + GUIDE.length() + INDEX.length());
        assertThat(content.summary()).isEqualTo("3 files, " + content.totalSize() + " B, 2 links");
    }

    @Test
    public void executableBitOfArchiveEntriesIsRecorded() throws Exception {
        ReleaseContent tarGz = ReleaseReader.read(ArtifactSource.of(tarGzRelease()));
        ReleaseContent zip = ReleaseReader.read(ArtifactSource.of(zipRelease()));

        assertThat(tarGz.artifacts())
                .filteredOn(Artifact::executable)
                .extracting(Artifact::path)
                .containsExactly("bin/run");
        assertThat(zip.artifacts())
                .filteredOn(Artifact::executable)
                .extracting(Artifact::path)
                .containsExactly("bin/run");
    }

    @Test
    public void linksThatStayInsideTheReleaseAreKeptAsWritten() throws Exception {
        ReleaseContent content = ReleaseReader.read(ArtifactSource.of(zipRelease()));

        assertThat(content.links())
                .containsExactly(
                        new ReleaseLink("docs/home", "../index.html"), new ReleaseLink("latest", "index.html"));
        assertThat(content.manifest()).contains("L\tdocs/home\t../index.html\n", "L\tlatest\tindex.html\n");
    }

    @Test
    public void linksThatGoThroughOtherLinksAndStayInsideAreKept() throws Exception {
        Path tar = Archives.tarGz(temp.getRoot().toPath().resolve("chained.tar.gz"))
                .directory("docs")
                .file("docs/guide.txt", GUIDE)
                .symlink("manual", "docs")
                .symlink("guide", "manual/guide.txt")
                .symlink("docs/top", "..")
                .symlink("again", "docs/top/docs/../manual")
                .write();

        ReleaseContent content = ReleaseReader.read(ArtifactSource.of(tar));

        assertThat(content.links())
                .extracting(ReleaseLink::path)
                .containsExactly("again", "docs/top", "guide", "manual");
    }

    @Test
    public void tarHardLinkBecomesACopyOfTheEarlierFile() throws Exception {
        Path tar = Archives.tarGz(temp.getRoot().toPath().resolve("hard.tar.gz"))
                .executable("run", RUN)
                .hardLink("run-again", "run")
                .write();
        Path folder = temp.newFolder("copies").toPath();
        Files.writeString(folder.resolve("run"), RUN);
        Files.writeString(folder.resolve("run-again"), RUN);
        Files.setPosixFilePermissions(folder.resolve("run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(folder.resolve("run-again"), PosixFilePermissions.fromString("rwxr-xr-x"));

        ReleaseContent content = ReleaseReader.read(ArtifactSource.of(tar));

        assertThat(content.artifacts())
                .containsExactly(
                        new Artifact("run", RUN.length(), Sha256.of(RUN), true),
                        new Artifact("run-again", RUN.length(), Sha256.of(RUN), true));
        assertThat(content.links()).isEmpty();
        assertThat(content.digest())
                .isEqualTo(ReleaseReader.read(ArtifactSource.of(folder)).digest());
    }

    @Test
    public void dotSlashPrefixesOfTarEntriesReadLikeThePlainNames() throws Exception {
        Path dotted = Archives.tarGz(temp.getRoot().toPath().resolve("dotted.tar.gz"))
                .directory("./")
                .directory("./docs")
                .file("./docs/guide.txt", GUIDE)
                .write();
        Path plain = Archives.tarGz(temp.getRoot().toPath().resolve("plain.tgz"))
                .directory("docs")
                .file("docs/guide.txt", GUIDE)
                .write();

        assertThat(ReleaseReader.read(ArtifactSource.of(dotted)).digest())
                .isEqualTo(ReleaseReader.read(ArtifactSource.of(plain)).digest());
    }

    @Test
    public void parentFoldersOfFilesAreRecordedEvenWithoutTheirOwnEntries() throws Exception {
        Path zip = Archives.zip(temp.getRoot().toPath().resolve("flat.zip"))
                .file("a/b/c.txt", "c")
                .write();

        ReleaseContent content = ReleaseReader.read(ArtifactSource.of(zip));

        assertThat(content.directories()).containsExactly("a", "a/b");
    }

    @Test
    public void differentContentReadsToADifferentDigest() throws Exception {
        Path one = Archives.zip(temp.getRoot().toPath().resolve("one.zip"))
                .file("a.txt", "one")
                .write();
        Path other = Archives.zip(temp.getRoot().toPath().resolve("other.zip"))
                .executable("a.txt", "one")
                .write();

        assertThat(ReleaseReader.read(ArtifactSource.of(one)).digest())
                .isNotEqualTo(ReleaseReader.read(ArtifactSource.of(other)).digest());
    }

    @Test
    public void entryThatAppearsTwiceIsRefused() throws Exception {
        Path tar = Archives.tarGz(temp.getRoot().toPath().resolve("twice.tar.gz"))
                .file("a.txt", "one")
                .file("a.txt", "two")
                .write();

        assertThatThrownBy(() -> ReleaseReader.read(ArtifactSource.of(tar)))
                .isInstanceOf(UnsafeArtifactException.class)
                .hasMessageContaining("entry \"a.txt\" appears twice");
    }

    @Test
    public void archiveKindIsTakenFromTheNameAndCheckedAgainstTheContent() throws Exception {
        Path zip = zipRelease();
        Path misnamed = Files.copy(zip, temp.getRoot().toPath().resolve("release.tar.gz"));
        Path unnamed = Files.copy(zip, temp.getRoot().toPath().resolve("release.bin"));
        Path text = Files.writeString(temp.getRoot().toPath().resolve("notes.txt"), "not an archive");

        assertThat(ArtifactSource.of(zip)).isEqualTo(new ArtifactSource.Archive(zip, ArtifactSource.ArchiveFormat.ZIP));
        assertThat(ArtifactSource.of(unnamed))
                .isEqualTo(new ArtifactSource.Archive(unnamed, ArtifactSource.ArchiveFormat.ZIP));
        assertThatThrownBy(() -> ArtifactSource.of(misnamed))
                .hasMessageContaining("is named like a tar.gz archive but its content is a zip archive: rename it");
        assertThatThrownBy(() -> ArtifactSource.of(text))
                .hasMessageContaining("is neither a folder nor a .tar.gz, .tgz or .zip archive");
        assertThatThrownBy(() -> ArtifactSource.of(temp.getRoot().toPath().resolve("missing.zip")))
                .hasMessageContaining("does not exist: give a folder or a .tar.gz, .tgz or .zip archive");
    }

    @Test
    public void anArtifactWithNoFileIsRefusedNamingItUnlessAllowed() throws Exception {
        Path empty = temp.newFolder("empty").toPath();
        Path onlyFolders = temp.newFolder("only-folders").toPath();
        Files.createDirectories(onlyFolders.resolve("static/css"));
        Files.createDirectories(onlyFolders.resolve("logs"));
        Path emptyTarGz =
                Archives.tarGz(temp.getRoot().toPath().resolve("empty.tar.gz")).write();
        Path emptyZip =
                Archives.zip(temp.getRoot().toPath().resolve("empty.zip")).write();

        for (Path artifact : new Path[] {empty, emptyTarGz, emptyZip}) {
            assertThatThrownBy(() -> ReleaseReader.read(ArtifactSource.of(artifact)))
                    .isInstanceOf(InvalidArtifactException.class)
                    .hasMessageStartingWith("Artifact " + artifact)
                    .hasMessageContaining("holds no file: deploying it would replace the live release with nothing")
                    .hasMessageContaining("--allow-empty")
                    .hasMessageEndingWith("Nothing was written.");
        }
        assertThatThrownBy(() -> ReleaseReader.read(ArtifactSource.of(onlyFolders)))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("holds no file, only 3 empty folders");

        ReleaseContent allowed = ReleaseReader.read(ArtifactSource.of(onlyFolders), ReleaseReader.Empty.ALLOW);
        assertThat(allowed.artifacts()).isEmpty();
        assertThat(allowed.directories()).containsExactlyInAnyOrder("logs", "static", "static/css");
    }

    @Test
    public void anArtifactWithOnlyALinkIsNotEmpty() throws Exception {
        Path folder = temp.newFolder("link-only").toPath();
        Files.createSymbolicLink(folder.resolve("shared"), Path.of("."));

        assertThat(ReleaseReader.read(ArtifactSource.of(folder)).links()).hasSize(1);
    }

    @Test
    public void aCorruptOrTruncatedArchiveIsRefusedNamingItAndWhatIsWrong() throws Exception {
        Path root = temp.getRoot().toPath();
        byte[] tarGz = Files.readAllBytes(tarGzRelease());
        byte[] zip = Files.readAllBytes(zipRelease());
        Path truncatedTarGz = Files.write(root.resolve("cut.tar.gz"), java.util.Arrays.copyOf(tarGz, tarGz.length / 2));
        Path notGzip = Files.writeString(root.resolve("plain.tgz"), "this was never compressed\n");
        Path truncatedZip = Files.write(root.resolve("cut.zip"), java.util.Arrays.copyOf(zip, zip.length / 2));
        byte[] corrupt = tarGz.clone();
        for (int i = 12; i < corrupt.length - 8; i++) {
            corrupt[i] ^= 0x5a;
        }
        Path corruptTarGz = Files.write(root.resolve("corrupt.tar.gz"), corrupt);

        assertRefused(truncatedTarGz, "tar.gz", "it ends early, before its last entry: the file is truncated");
        assertRefused(notGzip, "tar.gz", "it is not gzip-compressed data (a .tar.gz must be made with tar -czf)");
        assertRefused(truncatedZip, "zip", "it has no zip directory at its end: it is truncated or not a zip archive");
        assertRefused(corruptTarGz, "tar.gz", "");
    }

    private static void assertRefused(Path archive, String format, String problem) {
        assertThatThrownBy(() -> ReleaseReader.read(ArtifactSource.of(archive)))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageStartingWith("Artifact " + archive + " is not a readable " + format + " archive: ")
                .hasMessageContaining(problem)
                .hasMessageEndingWith(". Nothing was written.");
    }
}

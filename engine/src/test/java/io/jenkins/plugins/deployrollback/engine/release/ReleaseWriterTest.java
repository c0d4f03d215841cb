package io.jenkins.plugins.deployrollback.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.testing.Archives;
import io.jenkins.plugins.deployrollback.engine.testing.FileTreeSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReleaseWriterTest {
    private static final String RUN = "#!/bin/sh\necho running\n";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path work;
    private Path output;

    @Before
    public void setUp() throws Exception {
        work = temp.newFolder("work").toPath();
        output = temp.newFolder("work", "output").toPath();
    }

    private Path folderSource() throws Exception {
        Path folder = temp.newFolder("work", "source").toPath();
        Files.writeString(folder.resolve("index.html"), "release 1\n");
        Files.createDirectories(folder.resolve("bin"));
        Files.writeString(folder.resolve("bin/run"), RUN);
        Files.setPosixFilePermissions(folder.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(folder.resolve("empty"));
        Files.createSymbolicLink(folder.resolve("latest"), Path.of("index.html"));
        Files.createSymbolicLink(folder.resolve("bin/home"), Path.of(".."));
        return folder;
    }

    private static void write(ArtifactSource source, ReleaseContent expected, Path folder) throws Exception {
        ReleaseWriter.write(source, expected, folder, () -> {});
    }

    @Test
    public void writtenFolderHoldsExactlyWhatWasReadWithExecutableBitsAndLinks() throws Exception {
        ArtifactSource source = ArtifactSource.of(folderSource());
        ReleaseContent content = ReleaseReader.read(source);

        write(source, content, output);

        assertThat(Files.readString(output.resolve("index.html"))).isEqualTo("release 1\n");
        assertThat(Files.getPosixFilePermissions(output.resolve("bin/run")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(output.resolve("index.html")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.readSymbolicLink(output.resolve("latest"))).isEqualTo(Path.of("index.html"));
        assertThat(Files.readSymbolicLink(output.resolve("bin/home"))).isEqualTo(Path.of(".."));
        assertThat(output.resolve("empty")).isEmptyDirectory();
        assertThat(ReleaseReader.read(ArtifactSource.of(output)).digest()).isEqualTo(content.digest());
    }

    @Test
    public void writtenTarGzRestoresExecutableBitsLinksAndHardLinksAsCopies() throws Exception {
        Path tar = Archives.tarGz(work.resolve("release.tar.gz"))
                .directory("bin")
                .executable("bin/run", RUN)
                .hardLink("bin/run-too", "bin/run")
                .symlink("run", "bin/run")
                .write();
        ArtifactSource source = ArtifactSource.of(tar);
        ReleaseContent content = ReleaseReader.read(source);

        write(source, content, output);

        assertThat(Files.isExecutable(output.resolve("bin/run"))).isTrue();
        assertThat(Files.isSymbolicLink(output.resolve("bin/run-too"))).isFalse();
        assertThat(Files.readString(output.resolve("bin/run-too"))).isEqualTo(RUN);
        assertThat(Files.isExecutable(output.resolve("bin/run-too"))).isTrue();
        assertThat(Files.readSymbolicLink(output.resolve("run"))).isEqualTo(Path.of("bin/run"));
        assertThat(ReleaseReader.read(ArtifactSource.of(output)).digest()).isEqualTo(content.digest());
    }

    @Test
    public void writtenZipRestoresExecutableBitsAndLinks() throws Exception {
        Path zip = Archives.zip(work.resolve("release.zip"))
                .executable("bin/run", RUN)
                .file("index.html", "release 1\n")
                .symlink("bin/index.html", "../index.html")
                .write();
        ArtifactSource source = ArtifactSource.of(zip);
        ReleaseContent content = ReleaseReader.read(source);

        write(source, content, output);

        assertThat(Files.isExecutable(output.resolve("bin/run"))).isTrue();
        assertThat(Files.isExecutable(output.resolve("index.html"))).isFalse();
        assertThat(Files.readString(output.resolve("bin/index.html"))).isEqualTo("release 1\n");
        assertThat(Files.readSymbolicLink(output.resolve("bin/index.html"))).isEqualTo(Path.of("../index.html"));
    }

    @Test
    public void fileChangedAfterReadingIsRefusedWithAChecksumMismatchNamingIt() throws Exception {
        Path folder = folderSource();
        ArtifactSource source = ArtifactSource.of(folder);
        ReleaseContent content = ReleaseReader.read(source);
        Files.writeString(folder.resolve("index.html"), "release 1, patched by hand\n");

        assertThatThrownBy(() -> write(source, content, output))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("Checksum mismatch for \"index.html\"")
                .hasMessageContaining("the release records 10 bytes")
                .hasMessageContaining("The artifact changed or was corrupted; nothing was switched.");
    }

    @Test
    public void fileWithTheSameSizeButOtherBytesIsRefusedToo() throws Exception {
        Path folder = folderSource();
        ArtifactSource source = ArtifactSource.of(folder);
        ReleaseContent content = ReleaseReader.read(source);
        Files.writeString(folder.resolve("index.html"), "release 2\n");

        assertThatThrownBy(() -> write(source, content, output))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("Checksum mismatch for \"index.html\": written 10 bytes");
    }

    @Test
    public void fileAddedAfterReadingIsRefusedNamingIt() throws Exception {
        Path folder = folderSource();
        ArtifactSource source = ArtifactSource.of(folder);
        ReleaseContent content = ReleaseReader.read(source);
        Files.writeString(folder.resolve("backdoor.php"), "<?php system($_GET['c']);");

        assertThatThrownBy(() -> write(source, content, output))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("Entry \"backdoor.php\" is not part of the release as it was read");
        assertThat(output.resolve("backdoor.php")).doesNotExist();
    }

    @Test
    public void fileRemovedAfterReadingIsRefusedCountingTheEntries() throws Exception {
        Path folder = folderSource();
        ArtifactSource source = ArtifactSource.of(folder);
        ReleaseContent content = ReleaseReader.read(source);
        Files.delete(folder.resolve("index.html"));

        assertThatThrownBy(() -> write(source, content, output))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining(
                        "holds fewer entries than the release records (3 of 4): it changed after it was read");
    }

    @Test
    public void linkRetargetedAfterReadingIsRefused() throws Exception {
        Path folder = folderSource();
        ArtifactSource source = ArtifactSource.of(folder);
        ReleaseContent content = ReleaseReader.read(source);
        Files.delete(folder.resolve("latest"));
        Files.createSymbolicLink(folder.resolve("latest"), Path.of("/etc/passwd"));

        assertThatThrownBy(() -> write(source, content, output))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("Entry \"latest\" is not part of the release as it was read");
        assertThat(output.resolve("latest")).doesNotExist();
    }

    @Test
    public void archiveSwappedForAMaliciousOneAfterReadingWritesNothingOutsideTheFolder() throws Exception {
        Path tar = Archives.tarGz(work.resolve("release.tar.gz"))
                .file("index.html", "release 1\n")
                .file("app.js", "ok")
                .write();
        ArtifactSource source = ArtifactSource.of(tar);
        ReleaseContent content = ReleaseReader.read(source);
        Path evil = Archives.tarGz(work.resolve("evil.tar.gz"))
                .file("index.html", "release 1\n")
                .file("../evil", "pwned")
                .write();
        Files.move(evil, tar, StandardCopyOption.REPLACE_EXISTING);
        List<String> outside = FileTreeSnapshot.of(temp.getRoot().toPath()).stream()
                .filter(l -> !l.contains("output"))
                .toList();

        assertThatThrownBy(() -> write(source, content, output))
                .isInstanceOf(UnsafeArtifactException.class)
                .hasMessageContaining("entry \"../evil\" contains '..'");

        assertThat(FileTreeSnapshot.of(temp.getRoot().toPath()).stream()
                        .filter(l -> !l.contains("output"))
                        .toList())
                .isEqualTo(outside);
        assertThat(work.resolve("evil")).doesNotExist();
    }

    @Test
    public void afterFirstFileRunsOnceWhenOneFileIsWrittenEvenIfLinksCameFirst() throws Exception {
        ArtifactSource source = ArtifactSource.of(folderSource());
        ReleaseContent content = ReleaseReader.read(source);
        List<List<String>> filesAtCall = new ArrayList<>();

        ReleaseWriter.write(source, content, output, () -> {
            try {
                filesAtCall.add(FileTreeSnapshot.of(output).stream()
                        .filter(l -> l.startsWith("F "))
                        .toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThat(content.links().get(0).path()).isEqualTo("bin/home");
        assertThat(filesAtCall)
                .singleElement()
                .satisfies(files -> assertThat(files).singleElement().asString().startsWith("F bin/run "));
    }
}

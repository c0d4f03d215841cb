package io.jenkins.plugins.deployrollback.engine.release;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Exactly what a release folder holds: its files (with size and SHA-256), its links and its folders.
 * Its {@link #manifest() manifest} is a canonical text of all three; the manifest's checksum,
 * {@link #digest()}, identifies the content: two releases with the same digest hold the same bytes.
 */
public record ReleaseContent(List<Artifact> artifacts, List<ReleaseLink> links, List<String> directories) {
    public ReleaseContent {
        artifacts =
                artifacts.stream().sorted(Comparator.comparing(Artifact::path)).toList();
        links = links.stream().sorted(Comparator.comparing(ReleaseLink::path)).toList();
        Set<String> entries = new HashSet<>();
        for (Artifact a : artifacts) {
            if (!entries.add(a.path())) {
                throw new UnsafeArtifactException("entry " + Text.quote(a.path()) + " appears twice");
            }
        }
        for (ReleaseLink l : links) {
            if (!entries.add(l.path())) {
                throw new UnsafeArtifactException("entry " + Text.quote(l.path()) + " appears twice");
            }
        }
        TreeSet<String> folders = new TreeSet<>();
        for (String d : directories) {
            folders.add(ReleasePath.checkEntry(d));
        }
        for (String e : entries) {
            for (String p = ReleasePath.parent(e); !p.isEmpty(); p = ReleasePath.parent(p)) {
                folders.add(p);
            }
        }
        // A file written "through" a link could land wherever the link points; refuse the shape outright.
        // Checked before the clash of files and folders below, which the same shape also is.
        for (ReleaseLink l : links) {
            String prefix = l.path() + "/";
            Optional<String> beneath = Stream.concat(entries.stream(), folders.stream())
                    .filter(e -> e.startsWith(prefix))
                    .sorted()
                    .findFirst();
            if (beneath.isPresent()) {
                throw new UnsafeArtifactException("entry " + Text.quote(beneath.get()) + " is placed beneath the link "
                        + Text.quote(l.path()) + ": it would be written wherever the link points");
            }
        }
        for (String folder : folders) {
            if (entries.contains(folder)) {
                throw new UnsafeArtifactException(
                        "entry " + Text.quote(folder) + " is both a file or link and a folder");
            }
        }
        Map<String, String> linkTargets = new HashMap<>();
        links.forEach(l -> linkTargets.put(l.path(), l.target()));
        for (ReleaseLink l : links) {
            ReleasePath.resolveThroughLinks(l.path(), linkTargets);
        }
        directories = List.copyOf(folders);
    }

    /** An empty release: no files, links or folders. */
    public static ReleaseContent empty() {
        return new ReleaseContent(List.of(), List.of(), List.of());
    }

    /**
     * The canonical manifest: one tab-separated line per folder ({@code D path}), file ({@code F sha256
     * size x|- path}) and link ({@code L path target}), sorted. Paths hold no control characters, so
     * the text is unambiguous.
     */
    public String manifest() {
        List<String> lines = new ArrayList<>();
        for (String d : directories) {
            lines.add("D\t" + d);
        }
        for (Artifact a : artifacts) {
            lines.add("F\t" + a.sha256() + "\t" + a.size() + "\t" + (a.executable() ? "x" : "-") + "\t" + a.path());
        }
        for (ReleaseLink l : links) {
            lines.add("L\t" + l.path() + "\t" + l.target());
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** SHA-256 of the manifest: the identity of this content. */
    @JsonIgnore
    public String digest() {
        return Sha256.of(manifest());
    }

    /** Total size of the files. */
    @JsonIgnore
    public long totalSize() {
        return artifacts.stream().mapToLong(Artifact::size).sum();
    }

    /** A one-line description: {@code 12 files, 4.1 MB}. */
    @JsonIgnore
    public String summary() {
        return artifacts.size()
                + (artifacts.size() == 1 ? " file, " : " files, ")
                + Text.bytes(totalSize())
                + (links.isEmpty() ? "" : ", " + links.size() + (links.size() == 1 ? " link" : " links"));
    }
}

package io.jenkins.plugins.deployrollback.engine.release;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Checks for paths inside a release: relative, '/'-separated, without "." or ".." segments, empty
 * segments, backslashes or control characters. Every entry of an artifact and every shared path goes
 * through here before anything is written.
 */
public final class ReleasePath {
    private ReleasePath() {}

    /**
     * Returns the normal form of {@code path} (a leading "./" and a trailing "/" removed) or throws
     * {@link UnsafeArtifactException} saying what is wrong with it.
     */
    public static String check(String path) {
        if (path == null || path.isEmpty()) {
            throw new UnsafeArtifactException("an entry has an empty path");
        }
        if (!Text.isPrintable(path)) {
            throw new UnsafeArtifactException("entry " + Text.quote(path) + " has a control character in its path");
        }
        if (path.startsWith("/")) {
            throw new UnsafeArtifactException("entry " + Text.quote(path)
                    + " has an absolute path: artifacts may only contain paths relative to the release folder");
        }
        if (path.contains("\\")) {
            throw new UnsafeArtifactException("entry " + Text.quote(path)
                    + " contains a backslash: use '/' as the separator (was the archive made on Windows?)");
        }
        String normal = path;
        while (normal.startsWith("./")) {
            normal = normal.substring(2);
        }
        if (normal.endsWith("/")) {
            normal = normal.substring(0, normal.length() - 1);
        }
        if (normal.isEmpty() || normal.equals(".")) {
            return "";
        }
        for (String segment : normal.split("/", -1)) {
            if (segment.equals("..")) {
                throw new UnsafeArtifactException(
                        "entry " + Text.quote(path) + " contains '..': it would be written outside the release folder");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw new UnsafeArtifactException("entry " + Text.quote(path)
                        + " has an empty or '.' segment: write it as a plain relative path");
            }
        }
        return normal;
    }

    /** Like {@link #check} but the root itself ("" or ".") is refused too. */
    public static String checkEntry(String path) {
        String normal = check(path);
        if (normal.isEmpty()) {
            throw new UnsafeArtifactException("entry " + Text.quote(path) + " names the release folder itself");
        }
        return normal;
    }

    /** The folder holding {@code path}, or "" at the top. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /**
     * Resolves a symbolic link's target against the folder holding the link and returns the path it
     * points to inside the release, or throws when it points outside (absolute, or too many "..").
     */
    public static String resolveLink(String linkPath, String target) {
        if (target == null || target.isEmpty() || !Text.isPrintable(target)) {
            throw new UnsafeArtifactException("link " + Text.quote(linkPath) + " has an empty or unprintable target");
        }
        if (target.startsWith("/")) {
            throw new UnsafeArtifactException("link " + Text.quote(linkPath) + " -> " + Text.quote(target)
                    + " points to an absolute path outside the release: make it relative and inside the release");
        }
        Deque<String> segments = new ArrayDeque<>();
        String parent = parent(linkPath);
        if (!parent.isEmpty()) {
            for (String s : parent.split("/")) {
                segments.addLast(s);
            }
        }
        for (String s : target.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    throw new UnsafeArtifactException("link " + Text.quote(linkPath) + " -> " + Text.quote(target)
                            + " points outside the release folder");
                }
                segments.removeLast();
            } else {
                segments.addLast(s);
            }
        }
        return String.join("/", segments);
    }

    /** As many links as the Linux kernel follows while resolving one path before it gives up (ELOOP). */
    private static final int MAX_LINKS_FOLLOWED = 40;

    /**
     * Resolves the link at {@code linkPath} the way the file system will, following the release's own
     * {@code links} (path to target) on the way, and throws when it ends outside the release folder.
     * {@link #resolveLink} alone is not enough: in {@code sub/..}, where {@code sub} is a link, the
     * ".." climbs out of wherever {@code sub} points, not back to the folder holding {@code sub}.
     */
    public static String resolveThroughLinks(String linkPath, Map<String, String> links) {
        String target = links.get(linkPath);
        // The folders holding a link are real folders: nothing of a release may be placed beneath a link.
        Deque<String> resolved = new ArrayDeque<>();
        String parent = parent(linkPath);
        if (!parent.isEmpty()) {
            resolved.addAll(List.of(parent.split("/")));
        }
        Deque<String> pending = new ArrayDeque<>(List.of(target.split("/")));
        int followed = 0;
        while (!pending.isEmpty()) {
            String segment = pending.removeFirst();
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (resolved.isEmpty()) {
                    throw new UnsafeArtifactException("link " + Text.quote(linkPath) + " -> " + Text.quote(target)
                            + " points outside the release folder once the links on its way are followed");
                }
                resolved.removeLast();
                continue;
            }
            resolved.addLast(segment);
            String through = links.get(String.join("/", resolved));
            if (through != null) {
                if (++followed > MAX_LINKS_FOLLOWED) {
                    throw new UnsafeArtifactException("link " + Text.quote(linkPath) + " -> " + Text.quote(target)
                            + " goes through more than " + MAX_LINKS_FOLLOWED + " links (a loop?)");
                }
                resolved.removeLast();
                List<String> expanded = List.of(through.split("/"));
                for (int i = expanded.size() - 1; i >= 0; i--) {
                    pending.addFirst(expanded.get(i));
                }
            }
        }
        return String.join("/", resolved);
    }
}

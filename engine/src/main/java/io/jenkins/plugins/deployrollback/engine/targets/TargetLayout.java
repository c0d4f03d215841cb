package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;

/**
 * The names every target uses under its root, compatible in spirit with Capistrano:
 *
 * <pre>
 * releases/&lt;id&gt;/        unpacked releases, immutable once live
 * current -&gt; releases/&lt;id&gt;  switched atomically (new link, then rename over the old one)
 * slots/blue, slots/green  blue/green only: each -&gt; ../releases/&lt;id&gt;, pointed like current
 * shared/              files that survive releases, linked into each one
 * .deploy/ledger       append-only log of every stage, switch, archive and removal
 * .deploy/lock         one operation at a time: owner, since, expiry
 * .deploy/manifests/   the manifest of every staged release, to skip staging it twice
 * .deploy/failed/      failed releases, archived rather than deleted
 * .deploy/staging/     releases being unpacked; never live, cleaned up by the next operation
 * </pre>
 */
public final class TargetLayout {
    public static final String RELEASES = "releases";
    public static final String CURRENT = "current";
    public static final String SHARED = "shared";
    public static final String DEPLOY = ".deploy";
    public static final String LEDGER = DEPLOY + "/ledger";
    public static final String LOCK = DEPLOY + "/lock";
    public static final String LOCK_GUARD = DEPLOY + "/lock.guard";
    public static final String MANIFESTS = DEPLOY + "/manifests";
    /** One file per staged release: the fingerprint of its folder as staged (see {@code verifyRelease}). */
    public static final String FINGERPRINTS = DEPLOY + "/fingerprints";

    public static final String FAILED = DEPLOY + "/failed";
    public static final String STAGING = DEPLOY + "/staging";
    public static final String SLOTS = "slots";

    /** The link of blue/green slot {@code slot}: {@code slots/blue}. */
    public static String slot(String slot) {
        return SLOTS + "/" + slot;
    }

    /** The link text a slot holds for {@code release}: relative to {@code slots/}. */
    public static String slotLinkTo(ReleaseId release) {
        return "../" + linkTo(release);
    }

    private TargetLayout() {}

    /** The link text {@code current} holds for {@code release}: relative, so the root can move. */
    public static String linkTo(ReleaseId release) {
        return RELEASES + "/" + release.value();
    }

    /** The release a {@code current} link text names, or null if it names none of ours. */
    public static ReleaseId releaseOfLink(String linkText) {
        String text = linkText.endsWith("/") ? linkText.substring(0, linkText.length() - 1) : linkText;
        int slash = text.lastIndexOf('/');
        String parent = slash < 0 ? "" : text.substring(0, slash);
        if (!(parent.equals(RELEASES) || parent.endsWith("/" + RELEASES))) {
            return null;
        }
        try {
            return ReleaseId.of(text.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The problem a target reports when {@code current} is a real file or folder, not a link. */
    public static final String CURRENT_NOT_A_LINK = "current is not a link: deploys need it to be one (move it away)";

    /** The problem a target reports when its root cannot be written: reads work, changes will not. */
    public static String notWritable(String root) {
        return root + " is not writable (a read-only file system, or no write permission for this user): what it"
                + " serves is shown, but deploys and rollbacks here fail until it is writable again";
    }
}

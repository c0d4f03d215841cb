package io.jenkins.plugins.deployrollback.engine.targets.local;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** A target that is a folder on this machine; hooks run here with {@code sh -c}. */
public final class LocalTarget implements Target {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,199}");

    private final String name;
    private final Path root;

    /**
     * @param name how reports call it; null for {@code local:<root>}
     * @param root the absolute folder holding {@code releases/}, {@code current} and the rest
     */
    public LocalTarget(String name, Path root) {
        if (root == null || !root.isAbsolute()) {
            throw new IllegalArgumentException("Local target root " + Text.quote(String.valueOf(root))
                    + " is not an absolute path: give the full path of the folder to deploy into");
        }
        this.root = root.normalize();
        this.name = name == null ? "local:" + this.root : name;
        if (!NAME.matcher(this.name).matches()) {
            throw new IllegalArgumentException(
                    "Target name " + Text.quote(this.name)
                            + " is invalid: use letters, digits and . _ : @ / + - (at most 200), starting with a letter or digit");
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The folder releases are installed in. */
    public Path root() {
        return root;
    }

    @Override
    public TargetSession open(OperationContext context) {
        return new LocalTargetSession(name, root, context);
    }

    @Override
    public String toString() {
        return name;
    }
}

package io.jenkins.plugins.deployrollback.cli.config;

/**
 * An environment's {@code ssh:} block: the settings each of its SSH targets takes unless it gives its
 * own.
 *
 * @param node the block, or null when the environment has none (or it is not a map, reported already)
 * @param path where the block is, or would be, in the file: a missing setting's message names it
 */
record SshDefaults(YamlNode node, String path) {
    /** {@code entry}'s setting {@code key}: the target's own, else the {@code ssh:} block's. */
    YamlNode setting(YamlNode entry, String key) {
        YamlNode own = entry.map.get(key);
        return own != null || node == null ? own : node.map.get(key);
    }
}

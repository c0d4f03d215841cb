/**
 * Releases: immutable ids, the exact content of a release (every file with its size and SHA-256),
 * where the content comes from (a folder or a tar.gz/zip archive), and reading it safely: entries
 * that would escape the release folder are refused before anything is written.
 */
package io.jenkins.plugins.deployrollback.engine.release;

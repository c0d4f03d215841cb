/**
 * Reading {@code deploy-rollback.yaml} into engine environments with local and SSH targets, with errors
 * that name file, line, key and what is allowed, and that never repeat a key or a passphrase.
 */
package io.jenkins.plugins.deployrollback.cli.config;

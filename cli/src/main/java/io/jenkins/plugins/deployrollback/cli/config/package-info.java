/** Reading {@code deploy-rollback.yaml} into engine environments, with errors that name file, line, key and what is allowed. */
package io.jenkins.plugins.deployrollback.cli.config;

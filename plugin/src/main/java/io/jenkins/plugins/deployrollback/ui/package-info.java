/**
 * What Jenkins shows: the deployments of a build, the job's Deployments page, "Roll back to this
 * build", and the approvals a gate waits for.
 */
package io.jenkins.plugins.deployrollback.ui;

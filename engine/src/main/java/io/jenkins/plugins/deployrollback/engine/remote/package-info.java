/**
 * What a front end needs to run the engine on one machine while history, artifacts and approvals live
 * on another (Jenkins: the engine runs where the workspace is, the controller keeps the record). Every
 * call across is plain text (JSON), so any channel that carries strings carries it; results come back
 * as plain values a Pipeline script can read ({@link PipelineResults}).
 */
package io.jenkins.plugins.deployrollback.engine.remote;

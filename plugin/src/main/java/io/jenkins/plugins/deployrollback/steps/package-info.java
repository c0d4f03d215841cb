/** The Pipeline steps {@code deploy}, {@code verifyGate}, {@code rollback} and {@code rollForward}. */
package io.jenkins.plugins.deployrollback.steps;

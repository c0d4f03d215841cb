/** Small pieces every package needs: checksums, quoting of user input in messages, JSON, failure points. */
package io.jenkins.plugins.deployrollback.engine.support;

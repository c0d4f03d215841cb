package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.Test;

public class SshAddressTest {
    @Test
    public void aHostAloneTakesTheDefaultPort() {
        assertThat(SshAddress.parse("web-1.example.com", 22)).isEqualTo(new SshAddress("web-1.example.com", 22));
        assertThat(SshAddress.parse("10.0.0.7", 2200)).isEqualTo(new SshAddress("10.0.0.7", 2200));
    }

    @Test
    public void aHostWithAPortTakesThatPort() {
        assertThat(SshAddress.parse("web-1:2222", 22)).isEqualTo(new SshAddress("web-1", 2222));
        assertThat(SshAddress.parse(" 10.0.0.7:65535 ", 22)).isEqualTo(new SshAddress("10.0.0.7", 65535));
    }

    @Test
    public void aBracketedIpv6AddressMayHaveAPortAndLosesItsBrackets() {
        assertThat(SshAddress.parse("[2001:db8::7]:2222", 22)).isEqualTo(new SshAddress("2001:db8::7", 2222));
        assertThat(SshAddress.parse("[::1]", 22)).isEqualTo(new SshAddress("::1", 22));
    }

    @Test
    public void aBareIpv6AddressIsAllHostAndTakesTheDefaultPort() {
        assertThat(SshAddress.parse("2001:db8::7", 22)).isEqualTo(new SshAddress("2001:db8::7", 22));
        assertThat(SshAddress.parse("::1", 2222)).isEqualTo(new SshAddress("::1", 2222));
    }

    @Test
    public void anAddressReadsBackFromHowItIsWritten() {
        for (String written : new String[] {"web-1:22", "[2001:db8::7]:2222", "10.0.0.7:2200"}) {
            assertThat(SshAddress.parse(written, 1).toString()).isEqualTo(written);
        }
    }

    @Test
    public void aUserIsRefusedBecauseItComesFromTheCredentials() {
        assertThatThrownBy(() -> SshAddress.parse("deploy@web-1:2222", 22))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SSH host \"deploy@web-1:2222\" includes a user: give the host alone (web-1:2222);"
                        + " the user comes from the SSH credentials");
    }

    @Test
    public void aUrlIsRefused() {
        assertThatThrownBy(() -> SshAddress.parse("ssh://web-1:22", 22))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SSH host \"ssh://web-1:22\" is a URL: give the host name or IP address alone, optionally"
                        + " with :port (web-1:2222)");
    }

    @Test
    public void nothingWrittenIsRefused() {
        for (String empty : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> SshAddress.parse(empty, 22))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("SSH host is empty: give a host name or an IP address, optionally with :port"
                            + " (web-1:2222)");
        }
    }

    @Test
    public void aPortThatIsNoTcpPortIsRefusedNamingIt() {
        for (String port : new String[] {"0", "65536", "ssh", "", "-1", "99999999999"}) {
            assertThatThrownBy(() -> SshAddress.parse("web-1:" + port, 22))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("SSH port \"" + port + "\" of \"web-1:" + port + "\" is invalid: use 1 to 65535");
        }
        assertThatThrownBy(() -> SshAddress.parse("[::1]:0", 22))
                .hasMessage("SSH port \"0\" of \"[::1]:0\" is invalid: use 1 to 65535");
    }

    @Test
    public void anInvalidDefaultPortIsRefused() {
        assertThatThrownBy(() -> SshAddress.parse("web-1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SSH port 0 of web-1 is invalid: use 1 to 65535");
    }

    @Test
    public void aHostSshTargetsRefuseIsRefusedWithTheirMessage() {
        assertThatThrownBy(() -> SshAddress.parse("web_1", 22))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SSH host \"web_1\" is invalid: give a host name or an IP address, without user or port");
        assertThatThrownBy(() -> SshAddress.parse("web 1:22", 22))
                .hasMessageStartingWith("SSH host \"web 1\" is invalid");
    }

    @Test
    public void aBracketedAddressMustBeClosedAndFollowedOnlyByAPort() {
        assertThatThrownBy(() -> SshAddress.parse("[2001:db8::7", 22))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SSH host \"[2001:db8::7\" is invalid: close the IPv6 address with ], as in"
                        + " [2001:db8::7]:2222");
        assertThatThrownBy(() -> SshAddress.parse("[2001:db8::7]2222", 22))
                .hasMessage("SSH host \"[2001:db8::7]2222\" is invalid: after the bracketed IPv6 address give nothing"
                        + " or :port, as in [2001:db8::7]:2222");
        assertThatThrownBy(() -> SshAddress.parse("[web-1]:22", 22)).hasMessageStartingWith("SSH host \"[web-1]\"");
    }
}

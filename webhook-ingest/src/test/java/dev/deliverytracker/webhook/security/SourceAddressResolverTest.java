package dev.deliverytracker.webhook.security;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceAddressResolverTest {

    private static final SourceAddressResolver BEHIND_LB = new SourceAddressResolver(List.of(CidrRange.parse("10.0.0.0/8")));

    @Test
    void aForgedHeaderFromAnUntrustedPeerIsIgnored() {
        InetAddress attacker = CidrRange.address("198.51.100.7");
        assertThat(BEHIND_LB.resolve(attacker, "211.115.98.154")).isEqualTo(attacker);
    }

    @Test
    void behindATrustedProxyTheRightmostUntrustedHopIsTheSource() {
        InetAddress lb = CidrRange.address("10.1.2.3");
        // a client may prepend anything; only what our proxies appended counts
        assertThat(BEHIND_LB.resolve(lb, "211.115.98.154, 198.51.100.7")).isEqualTo(CidrRange.address("198.51.100.7"));
        assertThat(BEHIND_LB.resolve(lb, "198.51.100.7, 211.115.98.154, 10.9.9.9")).isEqualTo(CidrRange.address("211.115.98.154"));
        assertThat(BEHIND_LB.resolve(lb, null)).isEqualTo(lb);
        assertThat(BEHIND_LB.resolve(lb, "not-an-ip")).isEqualTo(lb);
    }

    @Test
    void cidrRangesMatchV4AndV6() {
        assertThat(CidrRange.parse("211.115.98.0/24").contains(CidrRange.address("211.115.98.205"))).isTrue();
        assertThat(CidrRange.parse("211.115.98.0/24").contains(CidrRange.address("211.115.99.1"))).isFalse();
        assertThat(CidrRange.parse("3.37.214.83").contains(CidrRange.address("3.37.214.83"))).isTrue();
        assertThat(CidrRange.parse("3.37.214.83").contains(CidrRange.address("3.37.214.84"))).isFalse();
        assertThat(CidrRange.parse("10.0.0.0/9").contains(CidrRange.address("10.127.255.255"))).isTrue();
        assertThat(CidrRange.parse("10.0.0.0/9").contains(CidrRange.address("10.128.0.0"))).isFalse();
        assertThat(CidrRange.parse("::1/128").contains(CidrRange.address("::1"))).isTrue();
        assertThat(CidrRange.parse("::1/128").contains(CidrRange.address("127.0.0.1"))).isFalse();
        assertThatThrownBy(() -> CidrRange.parse("bizgo.example.com")).hasMessageContaining("not an IP address");
        // strings an address parser could hand to DNS are refused, never looked up
        for (String name : List.of("cafe", "dead.beef", "1.2.3", "1.2.3.256", "localhost", "0x7f.1")) {
            assertThatThrownBy(() -> CidrRange.parse(name)).as(name).hasMessageContaining("host names are not looked up");
        }
        assertThat(CidrRange.address("cafe")).isNull();
        assertThatThrownBy(() -> CidrRange.parse("10.0.0.0/33")).hasMessageContaining("prefix out of range");
    }
}

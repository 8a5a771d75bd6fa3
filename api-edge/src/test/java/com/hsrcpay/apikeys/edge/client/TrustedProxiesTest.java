package com.hsrcpay.apikeys.edge.client;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The client-address rule of the contract ("The client's address"), case by case. */
class TrustedProxiesTest {

    private final TrustedProxies gateways = TrustedProxies.of(List.of("10.0.0.0/8", "::1/128", "127.0.0.1"));

    private String client(TrustedProxies proxies, String peer, String... forwardedFor) {
        return proxies.clientAddress(peer, Collections.enumeration(List.of(forwardedFor)));
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
        assertThat(client(TrustedProxies.none(), "127.0.0.1", "203.0.113.9")).isEqualTo("127.0.0.1");
        assertThat(client(TrustedProxies.of(List.of()), "10.1.2.3", "203.0.113.9")).isEqualTo("10.1.2.3");
    }

    @Test
    void anUntrustedPeerIsTheClientEvenIfItSendsTheHeader() {
        assertThat(client(gateways, "198.51.100.7", "203.0.113.9")).isEqualTo("198.51.100.7");
        assertThat(client(gateways, "192.168.1.5", "203.0.113.9")).as("private is not trusted by itself")
                .isEqualTo("192.168.1.5");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedAddressIsTheClient() {
        assertThat(client(gateways, "10.0.0.2", "203.0.113.9")).isEqualTo("203.0.113.9");
        // the client's own forged entry sits left of what the gateway saw: never believed
        assertThat(client(gateways, "10.0.0.2", "6.6.6.6, 203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(client(gateways, "10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.7")).isEqualTo("203.0.113.9");
        assertThat(client(gateways, "10.0.0.2", "6.6.6.6", "203.0.113.9")).as("several header lines, in order")
                .isEqualTo("203.0.113.9");
    }

    @Test
    void aChainOfOnlyTrustedProxiesEndsAtItsFirstHop() {
        assertThat(client(gateways, "10.0.0.2", "10.0.0.9, 10.0.0.8")).isEqualTo("10.0.0.9");
    }

    @Test
    void anEntryThatIsNotAnAddressEndsTheWalkAtTheLastTrustedHop() {
        assertThat(client(gateways, "10.0.0.2", "203.0.113.9, evil.example")).isEqualTo("10.0.0.2");
        assertThat(client(gateways, "10.0.0.2", "203.0.113.9, 10.0.0.5, unknown")).isEqualTo("10.0.0.2");
        assertThat(client(gateways, "10.0.0.2", "1.2.3.4:80")).isEqualTo("10.0.0.2");
        assertThat(client(gateways, "10.0.0.2", "")).isEqualTo("10.0.0.2");
        assertThat(client(gateways, "10.0.0.2", "999.1.1.1")).isEqualTo("10.0.0.2");
    }

    @Test
    void ipv6AddressesAreNormalisedAndMatched() {
        assertThat(client(gateways, "0:0:0:0:0:0:0:1", "2001:DB8::1")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(client(gateways, "::1", "[2001:db8::2]")).isEqualTo("2001:db8:0:0:0:0:0:2");
        assertThat(client(gateways, "::1", "::ffff:203.0.113.9")).as("IPv4-mapped").isEqualTo("203.0.113.9");
    }

    @Test
    void noHeaderLeavesThePeer() {
        assertThat(gateways.clientAddress("10.0.0.2", Collections.emptyEnumeration())).isEqualTo("10.0.0.2");
        assertThat(gateways.clientAddress("10.0.0.2", null)).isEqualTo("10.0.0.2");
    }

    @Test
    void aHostNameOrGarbageIsRefusedAsATrustedProxyAtStart() {
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of(List.of("gateway.internal")));
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")));
        assertThat(TrustedProxies.of(List.of(" ", "")).isEmpty()).isTrue();
    }
}

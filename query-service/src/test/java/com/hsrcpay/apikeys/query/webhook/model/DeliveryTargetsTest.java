package com.hsrcpay.apikeys.query.webhook.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryTargetsTest {

    private final DeliveryTargets production = new DeliveryTargets(false);
    private final DeliveryTargets local = new DeliveryTargets(true);

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/hook", "https://10.0.0.1/", "https://172.16.5.4/", "https://192.168.0.1/",
            "https://127.0.0.1/", "https://127.1/", "https://2130706433/", "https://0x7f000001/", "https://010.0.0.1/",
            "https://0x7f.0.0.1/", "https://169.254.169.254/latest/meta-data", "https://[::1]/",
            "https://[fe80::1]/", "https://[fd12:3456::1]/", "https://[::ffff:10.0.0.1]/", "https://[64:ff9b::a00:1]/",
            "https://100.64.0.1/", "https://0.0.0.0/", "https://224.0.0.1/", "https://255.255.255.255/",
            "https://localhost/", "https://api.localhost/", "https://printer.local/", "https://db.internal/",
            "ftp://example.com/", "https://user:pw@example.com/", "https://example.com/#frag", "example.com/hook",
            "https:///nohost", "http://localhost:8080/hook", "not a url"})
    void productionRefuses(String url) {
        assertThatThrownBy(() -> production.parse(url)).isInstanceOf(DeliveryTargets.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/hook", "https://hooks.example.com:8443/a?b=c", "https://93.184.216.34/x",
            "https://[2606:4700::1111]/x"})
    void productionAccepts(String url) {
        assertThatCode(() -> production.parse(url)).doesNotThrowAnyException();
    }

    @Test
    void theLocalProfileAllowsLocalhostAndLoopbackByNameOnAnyPortButNothingElseInternal() throws Exception {
        for (String url : List.of("http://localhost:9000/hook", "http://127.0.0.1:1/x", "https://localhost/x")) {
            URI uri = local.parse(url);
            assertThat(local.isAllowedLocal(uri)).as(url).isTrue();
            assertThatCode(() -> local.requirePublic(uri, List.of(InetAddress.getLoopbackAddress())))
                    .doesNotThrowAnyException();
        }
        for (String url : List.of("http://10.0.0.1/", "https://[::1]/", "http://127.0.0.2/", "http://example.com/")) {
            assertThatThrownBy(() -> local.parse(url)).as(url).isInstanceOf(DeliveryTargets.Refused.class);
        }
    }

    @Test
    void afterDnsEveryAddressMustBePublic() throws Exception {
        URI uri = production.parse("https://hooks.example.com/x");
        InetAddress publicAddress = InetAddress.getByName("93.184.216.34");
        InetAddress privateAddress = InetAddress.getByName("10.9.8.7");
        assertThatCode(() -> production.requirePublic(uri, List.of(publicAddress))).doesNotThrowAnyException();
        assertThatThrownBy(() -> production.requirePublic(uri, List.of(publicAddress, privateAddress)))
                .isInstanceOf(DeliveryTargets.Refused.class)
                .satisfies(e -> assertThat(((DeliveryTargets.Refused) e).reason()).isEqualTo("forbidden_target"));
        assertThatThrownBy(() -> production.requirePublic(uri, List.of()))
                .isInstanceOf(DeliveryTargets.Refused.class);
    }
}

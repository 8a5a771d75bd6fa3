package com.hsrcpay.apikeys.query.webhook.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointRulesTest {

    @Test
    void eventsAreKnownTypesOrTheWildcardAlone() {
        assertThat(EndpointRules.events(List.of("api_key.created", "api_key.expiring")))
                .containsExactly("api_key.created", "api_key.expiring");
        assertThat(EndpointRules.events(List.of("*"))).containsExactly("*");
        for (List<String> bad : List.of(List.<String>of(), List.of("api_key.nope"), List.of("*", "api_key.created"),
                List.of("api_key.created", "api_key.created"), List.of("API_KEY.CREATED"))) {
            assertThatThrownBy(() -> EndpointRules.events(bad)).as(bad.toString())
                    .isInstanceOf(WebhookRequestRefused.class)
                    .satisfies(e -> assertThat(((WebhookRequestRefused) e).field()).isEqualTo("events"));
        }
        assertThatThrownBy(() -> EndpointRules.events(null)).isInstanceOf(WebhookRequestRefused.class);
        assertThatThrownBy(() -> EndpointRules.events(Arrays.asList("api_key.created", null)))
                .isInstanceOf(WebhookRequestRefused.class);
    }

    @Test
    void aFilterSubscribesToWhatItNames() {
        assertThat(EndpointRules.subscribes(List.of("*"), WebhookEventType.EXPIRING)).isTrue();
        assertThat(EndpointRules.subscribes(List.of("api_key.deleted"), WebhookEventType.DELETED)).isTrue();
        assertThat(EndpointRules.subscribes(List.of("api_key.deleted"), WebhookEventType.REVOKED)).isFalse();
    }

    @Test
    void everyTypeHasItsWireName() {
        for (WebhookEventType type : WebhookEventType.values()) {
            assertThat(type.wireName()).startsWith("api_key.");
            assertThat(WebhookEventType.fromWireName(type.wireName())).contains(type);
        }
    }
}

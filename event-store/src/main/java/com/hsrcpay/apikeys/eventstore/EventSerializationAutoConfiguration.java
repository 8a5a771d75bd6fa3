package com.hsrcpay.apikeys.eventstore;

import com.hsrcpay.apikeys.shared.json.EventJson;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Jackson for every Axon message and token, whichever event store is configured ({@code kms.event-store.type}
 * {@code postgres} or {@code axonserver}): events, commands, command results and tracking tokens are readable
 * JSON, with no XStream and no default typing.
 */
@AutoConfiguration(before = {AxonAutoConfiguration.class, JdbcAutoConfiguration.class})
@EnableConfigurationProperties(EventStoreSettings.class) // in both modes: the query side reads the type
public class EventSerializationAutoConfiguration {

    /** Axon's general serializer; its message and event serializers default to this one. */
    @Bean
    @Primary
    Serializer serializer() {
        return JacksonSerializer.builder().objectMapper(EventJson.newObjectMapper()).build();
    }
}

package com.hsrcpay.apikeys.query.config;

import com.hsrcpay.apikeys.eventstore.EventStoreSettings;
import com.hsrcpay.apikeys.query.QueryServiceApplication;
import com.hsrcpay.apikeys.query.key.projection.KeyListProjection;
import com.hsrcpay.apikeys.query.publishing.KeyEventPublisher;
import com.hsrcpay.apikeys.query.revocation.RevocationListProjection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query service's settings as Spring Boot resolves them from query-service.yml, with and without the
 * {@code axonserver} profile (query-service-axonserver.yml). No beans: only the configuration files are read.
 */
class AxonServerProfileTest {

    private static final List<String> PROCESSORS =
            List.of(KeyListProjection.GROUP, RevocationListProjection.GROUP, KeyEventPublisher.GROUP);

    @Test
    void withoutTheProfileTheProcessorsReadPostgresThroughTheListeningSource() {
        try (ConfigurableApplicationContext context = settings()) {
            Environment env = context.getEnvironment();
            assertThat(env.getProperty("axon.axonserver.enabled")).isEqualTo("false");
            // the type as the service binds it: not set by the yml, so the settings record's default
            assertThat(env.getProperty("kms.event-store.type")).isNull();
            assertThat(Binder.get(env).bindOrCreate("kms.event-store", EventStoreSettings.class).type())
                    .isEqualTo("postgres");
            for (String processor : PROCESSORS) {
                assertThat(env.getProperty("axon.eventhandling.processors." + processor + ".source")).as(processor)
                        .isEqualTo("listeningEventSource");
            }
        }
    }

    @Test
    void theProfileStreamsTheProcessorsFromAxonServersEventStore() {
        try (ConfigurableApplicationContext context = settings("--spring.profiles.active=axonserver",
                "--KMS_AXONSERVER_SERVERS=axon-1:8124")) {
            Environment env = context.getEnvironment();
            assertThat(env.getProperty("axon.axonserver.enabled")).isEqualTo("true");
            assertThat(Binder.get(env).bindOrCreate("kms.event-store", EventStoreSettings.class).type())
                    .isEqualTo("axonserver");
            assertThat(env.getProperty("axon.axonserver.servers")).isEqualTo("axon-1:8124");
            for (String processor : PROCESSORS) {
                assertThat(env.getProperty("axon.eventhandling.processors." + processor + ".source")).as(processor)
                        .isEqualTo("eventStore");
                // the rest of the processor's settings stay those of query-service.yml
                assertThat(env.getProperty("axon.eventhandling.processors." + processor + ".mode")).as(processor)
                        .isEqualTo("pooled");
            }
        }
    }

    private static ConfigurableApplicationContext settings(String... args) {
        return new SpringApplicationBuilder(NoBeans.class).web(WebApplicationType.NONE)
                .properties("spring.config.name=" + QueryServiceApplication.CONFIG_NAME).run(args);
    }

    @Configuration(proxyBeanMethods = false)
    static class NoBeans {
    }
}

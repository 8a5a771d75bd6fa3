package com.hsrcpay.apikeys.command.config;

import com.hsrcpay.apikeys.eventstore.EventStoreSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command service's settings as Spring Boot resolves them from application.yml, with and without the
 * {@code axonserver} profile (application-axonserver.yml). No beans: only the configuration files are read.
 */
class AxonServerProfileTest {

    @Test
    void withoutTheProfileAxonServerIsOffAndTheEventStoreIsPostgres() {
        try (ConfigurableApplicationContext context = settings()) {
            Environment env = context.getEnvironment();
            assertThat(env.getProperty("axon.axonserver.enabled")).isEqualTo("false");
            // the type as the service binds it: not set by the yml, so the settings record's default
            assertThat(env.getProperty("kms.event-store.type")).isNull();
            assertThat(Binder.get(env).bindOrCreate("kms.event-store", EventStoreSettings.class).type())
                    .isEqualTo("postgres");
        }
    }

    @Test
    void theProfileTurnsAxonServerOnAndTheEventStoreTypeToAxonServer() {
        try (ConfigurableApplicationContext context = settings("--spring.profiles.active=axonserver")) {
            Environment env = context.getEnvironment();
            assertThat(env.getProperty("axon.axonserver.enabled")).isEqualTo("true");
            assertThat(Binder.get(env).bindOrCreate("kms.event-store", EventStoreSettings.class).type())
                    .isEqualTo("axonserver");
            assertThat(env.getProperty("axon.axonserver.servers")).isEqualTo("localhost:8124");
            assertThat(env.getProperty("axon.axonserver.context")).isEqualTo("default");
        }
    }

    @Test
    void theServersAndContextComeFromKmsVariables() {
        try (ConfigurableApplicationContext context = settings("--spring.profiles.active=axonserver",
                "--KMS_AXONSERVER_SERVERS=axon-1:8124,axon-2:8124", "--KMS_AXONSERVER_CONTEXT=kms")) {
            Environment env = context.getEnvironment();
            assertThat(env.getProperty("axon.axonserver.servers")).isEqualTo("axon-1:8124,axon-2:8124");
            assertThat(env.getProperty("axon.axonserver.context")).isEqualTo("kms");
        }
    }

    private static ConfigurableApplicationContext settings(String... args) {
        return new SpringApplicationBuilder(NoBeans.class).web(WebApplicationType.NONE).run(args);
    }

    @Configuration(proxyBeanMethods = false)
    static class NoBeans {
    }
}

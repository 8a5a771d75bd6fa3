package com.hsrcpay.apikeys.eventstore;

import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.autoconfig.AxonServerAutoConfiguration;
import org.axonframework.springboot.autoconfig.AxonServerBusAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which event store beans exist for {@code kms.event-store.type}, at the level of bean definitions: every bean is
 * lazy, so nothing connects to PostgreSQL or Axon Server (and the test needs neither).
 */
class EventStoreAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(context -> context.addBeanFactoryPostProcessor(
                    new LazyInitializationBeanFactoryPostProcessor()))
            .withConfiguration(AutoConfigurations.of(EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class, AxonServerAutoConfiguration.class,
                    AxonServerBusAutoConfiguration.class));

    @Test
    void byDefaultThePostgresEventStoreBeansExistAndAxonServerIsOffWhenDisabled() {
        runner.withPropertyValues("axon.axonserver.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanNamesForType(EventStorageEngine.class)).containsExactly("eventStorageEngine");
            assertThat(context.getBeanNamesForType(EventSchema.class)).containsExactly("eventSchema");
            assertThat(context.getBeanNamesForType(EventStore.class)).isEmpty();
            assertThat(context.getBeanFactory().getBeanNamesForType(
                    org.axonframework.axonserver.connector.AxonServerConnectionManager.class)).isEmpty();
        });
    }

    @Test
    void typeAxonServerRemovesThePostgresEventStoreBeansAndAxonServerProvidesTheEventStore() {
        // as query-service.yml sets it: the LISTEN/NOTIFY wake-ups are PostgreSQL-only and must go as well
        runner.withPropertyValues("kms.event-store.type=axonserver", "axon.axonserver.enabled=true",
                "kms.event-store.listen-for-appends=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanNamesForType(EventStorageEngine.class)).isEmpty();
            assertThat(context.getBeanNamesForType(EventSchema.class)).isEmpty();
            assertThat(context.getBeanNamesForType(ListeningEventSource.class)).isEmpty();
            assertThat(context.getBeanNamesForType(AppendListener.class)).isEmpty();
            assertThat(context.getBeanNamesForType(EventStoreAutoConfiguration.EventStoreMigration.class)).isEmpty();
            assertThat(definitionOf(context, "eventStore").getFactoryMethodName()).isEqualTo("eventStore");
            assertThat(definitionOf(context, "eventStore").getResourceDescription())
                    .contains(AxonServerBusAutoConfiguration.class.getSimpleName());
            assertThat(context.getBeanFactory().getType("eventStore")).isAssignableFrom(AxonServerEventStore.class);
        });
    }

    @Test
    void theJacksonSerializerIsTheSerializerInBothModes() {
        for (String type : new String[]{"postgres", "axonserver"}) {
            runner.withPropertyValues("kms.event-store.type=" + type, "axon.axonserver.enabled=false").run(context -> {
                assertThat(Arrays.asList(context.getBeanNamesForType(Serializer.class))).as(type)
                        .containsExactly("serializer");
                assertThat(context.getBean("serializer")).as(type).isInstanceOf(JacksonSerializer.class);
            });
        }
    }

    private static BeanDefinition definitionOf(ConfigurableApplicationContext context, String name) {
        return context.getBeanFactory().getBeanDefinition(name);
    }
}

package com.hsrcpay.apikeys.query.processing;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

/**
 * How the query side's streaming processors run: tokens in the read model's own schema (so a token commits
 * in the same transaction as the rows it covers), a failing handler stops its segment and retries it
 * (Axon's default logs and skips, which would lose a projection row or a Kafka record), and several instances
 * share each processor's segments fairly ({@link ProcessorInstances}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessingSettings.class)
public class ProcessingConfiguration {

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("read_model.token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    @Bean
    ProcessorInstances processorInstances(JdbcTemplate jdbc, ProcessingSettings settings) {
        return new ProcessorInstances(jdbc, Duration.ofMillis(settings.heartbeatMs()));
    }

    /** Beats from start to stop; a daemon thread, so a failing beat (database away) never blocks shutdown. */
    @Bean
    SmartLifecycle processorInstancesHeartbeat(ProcessorInstances instances) {
        return new InstanceHeartbeat(instances);
    }

    /** Axon's JDBC token store, owned under this instance's name (two instances in one JVM must differ). */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                          ProcessorInstances instances,
                          TokenStoreProperties axonTokenStore) {
        Duration claimTimeout = axonTokenStore.getClaimTimeout(); // Axon's own setting and default
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(tokenSchema)
                .serializer(serializer)
                .claimTimeout(claimTimeout)
                .nodeId(instances.id())
                .build();
    }

    @Bean
    ConfigurerModule segmentsSharedAmongInstances(ProcessorInstances instances) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration(
                        (config, builder) -> builder.maxSegmentProvider(instances)));
    }

    @Bean
    ConfigurerModule failingHandlersRetry() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance()));
    }
}

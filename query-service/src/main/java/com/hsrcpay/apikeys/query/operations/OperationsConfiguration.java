package com.hsrcpay.apikeys.query.operations;

import com.hsrcpay.apikeys.query.eventstore.EventStoreHead;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Health and metrics of the read side: readiness reflects PostgreSQL ({@code db}), Kafka ({@code kafka}) and the
 * event processors ({@code eventProcessors}); processor lag is published in events and in milliseconds.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({HealthSettings.class, OpenApiSettings.class})
public class OperationsConfiguration {

    public static final String LAG_EVENTS = "kms.processor.lag.events";
    public static final String LAG_MS = "kms.processor.lag.time";

    /** Kafka is up when the cluster describes itself within the timeout. */
    @Bean(destroyMethod = "close")
    KafkaHealth kafkaHealthIndicator(KafkaAdmin admin, HealthSettings settings) {
        int timeoutMillis = settings.kafkaTimeoutMs();
        Map<String, Object> config = new HashMap<>(admin.getConfigurationProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis);
        return new KafkaHealth(AdminClient.create(config), timeoutMillis);
    }

    /** Every streaming processor of this instance runs and none is in error. */
    @Bean
    HealthIndicator eventProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        return () -> {
            Map<String, Object> details = new LinkedHashMap<>();
            boolean up = true;
            for (StreamingEventProcessor processor :
                    processing.eventProcessors().values().stream()
                            .filter(StreamingEventProcessor.class::isInstance)
                            .map(StreamingEventProcessor.class::cast).toList()) {
                String state = processor.isError() ? "ERROR" : processor.isRunning() ? "RUNNING" : "STOPPED";
                details.put(processor.getName(), state);
                up &= "RUNNING".equals(state);
            }
            return (up ? Health.up() : Health.down()).withDetails(details).build();
        };
    }

    @Bean
    ProcessorLag processorLag(EventStoreHead head, EventProcessingConfiguration processing) {
        return new ProcessorLag(head, processing, Clock.systemUTC());
    }

    /**
     * Per processor: {@value #LAG_EVENTS} = head global index of the event store − the processor's lowest token
     * position; {@value #LAG_MS} = age of the oldest event it has not processed yet (0 when caught up).
     */
    @Bean
    MeterBinder processorLagMetrics(ProcessorLag lag, EventProcessingConfiguration processing) {
        return registry -> processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor) {
                Gauge.builder(LAG_EVENTS, lag, l -> l.events(name)).tag("processor", name)
                        .description("Events in the store this processor has not handled yet").register(registry);
                Gauge.builder(LAG_MS, lag, l -> l.millis(name)).tag("processor", name).baseUnit("milliseconds")
                        .description("Age of the oldest event this processor has not handled yet").register(registry);
            }
        });
    }

    /** A HealthIndicator on a long-lived AdminClient; named {@code kafka} in the health endpoint. */
    public static final class KafkaHealth implements HealthIndicator, AutoCloseable {
        private final AdminClient admin;
        private final int timeoutMillis;

        KafkaHealth(AdminClient admin, int timeoutMillis) {
            this.admin = admin;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public Health health() {
            try {
                var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMillis));
                String clusterId = cluster.clusterId().get(timeoutMillis, TimeUnit.MILLISECONDS);
                int nodes = cluster.nodes().get(timeoutMillis, TimeUnit.MILLISECONDS).size();
                return Health.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.down(e).build();
            } catch (Exception e) {
                return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
            }
        }

        @Override
        public void close() {
            admin.close(java.time.Duration.ofSeconds(1));
        }
    }
}

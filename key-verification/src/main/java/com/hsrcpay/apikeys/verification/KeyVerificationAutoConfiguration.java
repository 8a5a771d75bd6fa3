package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.database.DedicatedPools;
import com.hsrcpay.apikeys.revocation.RevocationClient;
import com.hsrcpay.apikeys.verification.usage.CreditBalances;
import com.hsrcpay.apikeys.verification.usage.RateWindows;
import com.hsrcpay.apikeys.verification.usage.UsageControl;
import com.hsrcpay.apikeys.verification.usage.UsageControlSchema;
import com.hsrcpay.apikeys.verification.usage.UsageControlSettings;
import com.hsrcpay.apikeys.verification.usage.UsageHours;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Key verification for a service that accepts API keys as credentials: the verifier, what keeps its cache
 * fresh (revocation deny-list and change feed from Kafka), and last-use recording. It reads the read model's
 * key lookup (read_model.key_secret, api_key, revocation) and writes read_model.key_usage; those tables belong
 * to the query service.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "kms.verification.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({VerificationSettings.class, UsageSettings.class})
public class KeyVerificationAutoConfiguration {

    public static final String CACHE_HIT_RATIO = "kms.verification.cache.hit.ratio";

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    RevocationClient revocationClient(Environment environment) {
        return RevocationClient.builder().bootstrapServers(kafkaBootstrapServers(environment)).build();
    }

    /**
     * Key lookups and last-use writes on a pool of their own (request bounds): a busy or stuck request pool never holds
     * up authentication by key, nor the other way round.
     */
    @Bean(destroyMethod = "close")
    DedicatedPool verificationPool(DedicatedPools pools) {
        return pools.create("verification", 4);
    }

    @Bean
    KeyVerifier keyVerifier(@Qualifier("verificationPool") DedicatedPool pool, RevocationClient revocations, Clock clock,
                            VerificationSettings settings) {
        return new KeyVerifier(new KeyLookup(pool.jdbc()), revocations.revocationList(), clock, settings.cacheSize(),
                Duration.ofSeconds(settings.cacheMaxAgeSeconds()));
    }

    /** The verification cache hit ratio as the gauge {@value #CACHE_HIT_RATIO} (0..1, since start). */
    @Bean
    MeterBinder verificationCacheMetrics(KeyVerifier verifier) {
        return registry -> Gauge.builder(CACHE_HIT_RATIO, verifier, KeyVerifier::cacheHitRatio)
                .description("Share of key verifications answered from the cache")
                .register(registry);
    }

    /** Starts the revocation deny-list and the change feed that evicts changed keys from the cache. */
    @Bean
    SmartLifecycle verificationFeeds(RevocationClient revocations, KeyVerifier verifier,
                                     Environment environment) {
        KeyChangeFeed changes = new KeyChangeFeed(kafkaBootstrapServers(environment), verifier::keyChanged);
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                revocations.start();
                changes.start();
                running = true;
            }

            @Override
            public void stop() {
                changes.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }

    @Bean
    KeyUsage keyUsage(@Qualifier("verificationPool") DedicatedPool pool, Clock clock, ObjectProvider<MeterRegistry> meters) {
        return new KeyUsage(pool.jdbc(), clock, KeyUsage.MAX_PENDING, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Writes recorded last uses in batches, well inside the 2 s the API promises. */
    @Bean
    SmartLifecycle keyUsageFlusher(KeyUsage usage, UsageSettings settings) {
        long intervalMillis = settings.flushIntervalMs();
        return new SmartLifecycle() {
            private ScheduledExecutorService scheduler;

            @Override
            public void start() {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "kms-key-usage-flush");
                    thread.setDaemon(true);
                    return thread;
                });
                scheduler.scheduleWithFixedDelay(usage::flush, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
            }

            @Override
            public void stop() {
                scheduler.shutdown();
                usage.flush(); // graceful shutdown keeps the last uses
            }

            @Override
            public boolean isRunning() {
                return scheduler != null && !scheduler.isShutdown();
            }
        };
    }

    @Bean
    SecretKeyCallers secretKeyCallers(KeyVerifier verifier, KeyUsage usage, ObjectProvider<UsageControl> usageControl,
                                      Clock clock) {
        return new SecretKeyCallers(verifier, usage, usageControl.getIfAvailable(), clock);
    }

    /**
     * The usage-control engine (rate limits, credits, hourly usage: issue 14), with {@code kms.usage-control.enabled}
     * only: nothing uses it yet, so by default neither its schema nor its beans exist.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "kms.usage-control.enabled", havingValue = "true")
    @EnableConfigurationProperties(UsageControlSettings.class)
    static class UsageControlConfiguration {

        @Bean
        UsageControlSchema usageControlSchema(DataSourceProperties database) {
            return UsageControlSchema.migrate(database.determineUrl(), database.determineUsername(),
                    database.determinePassword());
        }

        /** Lease takes sit on the verification path: a pool of their own, apart from the key lookups. */
        @Bean(destroyMethod = "close")
        DedicatedPool usageControlPool(DedicatedPools pools, UsageControlSchema migrated) {
            return pools.create("usage-control", 3);
        }

        @Bean(destroyMethod = "close")
        UsageControl usageControl(@Qualifier("usageControlPool") DedicatedPool pool, Clock clock,
                                  UsageControlSettings settings) {
            UUID instanceId = UUID.randomUUID();
            UsageControl engine = new UsageControl(new RateWindows(pool.dataSource(), instanceId, settings.maxKeys()),
                    new CreditBalances(pool.dataSource(), instanceId, settings, System::nanoTime), clock, settings);
            engine.start();
            return engine;
        }

        @Bean
        UsageHours usageHours(@Qualifier("usageControlPool") DedicatedPool pool, Clock clock,
                              UsageControlSettings settings, ObjectProvider<MeterRegistry> meters) {
            return new UsageHours(pool.jdbc(), clock, settings.maxUsageBuckets(),
                    meters.getIfAvailable(SimpleMeterRegistry::new));
        }

        @Bean
        MeterBinder usageControlMetrics(UsageControl engine) {
            return registry -> Gauge.builder("kms.usage-control.credits.held", engine.credits(),
                            CreditBalances::held)
                    .description("Credits this instance holds in leases, unspent").register(registry);
        }

        /** Writes the hourly usage counts every flush interval, and the last ones on a graceful stop. */
        @Bean
        SmartLifecycle usageHoursFlusher(UsageHours hours, UsageControlSettings settings) {
            return new SmartLifecycle() {
                private ScheduledExecutorService scheduler;

                @Override
                public void start() {
                    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread thread = new Thread(r, "kms-usage-hours-flush");
                        thread.setDaemon(true);
                        return thread;
                    });
                    scheduler.scheduleWithFixedDelay(() -> {
                        try {
                            hours.flush();
                        } catch (RuntimeException e) {
                            org.slf4j.LoggerFactory.getLogger(UsageHours.class)
                                    .warn("Could not flush the hourly usage: {}", e.toString());
                        }
                    }, settings.usageFlushIntervalMs(), settings.usageFlushIntervalMs(), TimeUnit.MILLISECONDS);
                }

                @Override
                public void stop() {
                    scheduler.shutdown();
                    hours.flush();
                }

                @Override
                public boolean isRunning() {
                    return scheduler != null && !scheduler.isShutdown();
                }
            };
        }
    }

    /** Spring's own Kafka setting (the command service has no spring-kafka, so no KafkaProperties to ask). */
    private static String kafkaBootstrapServers(Environment environment) {
        return environment.getRequiredProperty("spring.kafka.bootstrap-servers");
    }
}

package com.hsrcpay.apikeys.database;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.time.Duration;

/**
 * Bounded database waits for a service: the primary pool (Spring's) gets the bounds its service asks for
 * ({@code kms.db.primary}), dedicated pools come from {@link DedicatedPools}, and the {@code db} health check (part of
 * readiness) answers within one second, and within a quarter of one while the database is known to be gone.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@EnableConfigurationProperties(DatabaseSettings.class)
public class DatabaseAutoConfiguration {

    static final Duration READINESS_TIMEOUT = Duration.ofSeconds(1);
    /** After a failed check: a database that is back answers SELECT 1 well within this. */
    static final Duration READINESS_RECHECK = Duration.ofMillis(250);

    /** Bounds on Spring's pool before it opens a connection (Hikari's configuration seals at its first use). */
    @Bean
    static BeanPostProcessor primaryPoolBounds(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && !pool.isRunning()) {
                    DatabaseSettings settings = Binder.get(environment).bindOrCreate("kms.db", DatabaseSettings.class);
                    PoolBounds.apply(pool, settings.bounds(settings.primary()));
                }
                return bean;
            }
        };
    }

    @Bean
    DedicatedPools dedicatedPools(DataSourceProperties database, DatabaseSettings settings,
                                  ObjectProvider<MeterRegistry> meters) {
        return new DedicatedPools(database, settings, meters.getIfAvailable());
    }

    /** Named so that Spring Boot's own {@code db} check (no time bound of its own) steps aside. */
    @Bean(destroyMethod = "close")
    DatabaseReadiness dbHealthContributor(DedicatedPools pools) {
        return new DatabaseReadiness(pools.create("health", 1), READINESS_TIMEOUT, READINESS_RECHECK);
    }
}

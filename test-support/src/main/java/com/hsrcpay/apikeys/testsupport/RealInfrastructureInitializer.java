package com.hsrcpay.apikeys.testsupport;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gives the context a fresh PostgreSQL database and the shared Kafka broker, as properties of the highest
 * precedence: {@code spring.datasource.url}, {@code spring.datasource.username}, {@code spring.datasource.password}
 * and {@code spring.kafka.bootstrap-servers}.
 *
 * <pre>{@code
 * @SpringBootTest
 * @ContextConfiguration(initializers = RealInfrastructureInitializer.class)
 * class MyIT { ... }
 * }</pre>
 */
public class RealInfrastructureInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestKafka.startInBackground(); // overlaps with the PostgreSQL start-up: roughly 2 s each when embedded
        TestDatabase database = TestPostgres.newDatabase();
        TestPropertyValues.of(RealInfrastructure.properties(database, TestKafka.bootstrapServers()))
                .applyTo(context);
    }
}

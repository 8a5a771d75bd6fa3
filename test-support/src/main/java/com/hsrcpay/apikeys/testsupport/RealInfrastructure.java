package com.hsrcpay.apikeys.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points Spring Boot tests at the real PostgreSQL and Kafka of {@link TestPostgres} and {@link TestKafka}.
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void infrastructure(DynamicPropertyRegistry registry) {
 *     RealInfrastructure.registerPostgres(registry);
 *     RealInfrastructure.registerKafka(registry);
 * }
 * }</pre>
 *
 * or, without a method, {@code @ContextConfiguration(initializers = RealInfrastructureInitializer.class)}.
 */
public final class RealInfrastructure {

    static final String DATASOURCE_URL = "spring.datasource.url";

    static final String DATASOURCE_USERNAME = "spring.datasource.username";

    static final String DATASOURCE_PASSWORD = "spring.datasource.password";

    static final String KAFKA_BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

    private RealInfrastructure() {
    }

    /**
     * Registers {@code spring.datasource.url/username/password} of one fresh database, created lazily when the
     * context first reads one of them (and only once for the three).
     */
    public static void registerPostgres(DynamicPropertyRegistry registry) {
        Supplier<TestDatabase> database = once(TestPostgres::newDatabase);
        registry.add(DATASOURCE_URL, () -> database.get().jdbcUrl());
        registry.add(DATASOURCE_USERNAME, () -> database.get().username());
        registry.add(DATASOURCE_PASSWORD, () -> database.get().password());
    }

    /**
     * Registers {@code spring.kafka.bootstrap-servers} of the shared broker. The broker starts in the background
     * right away (overlapping with the context's own start-up) and the property waits for it when first read.
     */
    public static void registerKafka(DynamicPropertyRegistry registry) {
        TestKafka.startInBackground();
        registry.add(KAFKA_BOOTSTRAP_SERVERS, TestKafka::bootstrapServers);
    }

    /**
     * The path chosen for this JVM: {@link InfrastructureMode#DOCKER} or {@link InfrastructureMode#EMBEDDED}
     * (decided on first call, e.g. to skip a test that needs Docker-only features).
     */
    public static InfrastructureMode mode() {
        return InfrastructureSelection.current().mode();
    }

    /** The Spring properties for one database and the broker; used by {@link RealInfrastructureInitializer}. */
    static Map<String, String> properties(TestDatabase database, String bootstrapServers) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(DATASOURCE_URL, database.jdbcUrl());
        properties.put(DATASOURCE_USERNAME, database.username());
        properties.put(DATASOURCE_PASSWORD, database.password());
        properties.put(KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
        return properties;
    }

    private static <T> Supplier<T> once(Supplier<T> supplier) {
        return new Supplier<>() {

            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}

package com.hsrcpay.apikeys.testsupport;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

@SpringJUnitConfig(RealInfrastructureDynamicPropertiesIT.Empty.class)
class RealInfrastructureDynamicPropertiesIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        RealInfrastructure.registerPostgres(registry);
        RealInfrastructure.registerKafka(registry);
    }

    @Autowired
    private Environment environment;

    @Test
    void registeredPropertiesPointAtOneFreshDatabaseAndTheSharedBroker() throws SQLException {
        String url = environment.getRequiredProperty("spring.datasource.url");
        TestDatabase database = new TestDatabase(url,
                environment.getRequiredProperty("spring.datasource.username"),
                environment.getRequiredProperty("spring.datasource.password"));

        assertThat(environment.getProperty("spring.datasource.url"))
                .as("the database is created once, not on every read").isEqualTo(url);
        assertThat(RealInfrastructureInitializerIT.query(database,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")).isEqualTo("0");
        assertThat(environment.getProperty("spring.kafka.bootstrap-servers"))
                .isEqualTo(TestKafka.bootstrapServers());
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}

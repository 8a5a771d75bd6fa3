package com.hsrcpay.apikeys.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

@SpringJUnitConfig(classes = RealInfrastructureInitializerIT.Empty.class,
        initializers = RealInfrastructureInitializer.class)
class RealInfrastructureInitializerIT {

    @Autowired
    private Environment environment;

    @Test
    void contextGetsAWorkingDatabaseAndTheSharedBroker() throws SQLException {
        TestDatabase database = new TestDatabase(environment.getRequiredProperty("spring.datasource.url"),
                environment.getRequiredProperty("spring.datasource.username"),
                environment.getRequiredProperty("spring.datasource.password"));

        assertThat(query(database, "SELECT 40 + 2")).isEqualTo("42");
        assertThat(environment.getProperty("spring.kafka.bootstrap-servers"))
                .isEqualTo(TestKafka.bootstrapServers());
    }

    static String query(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}

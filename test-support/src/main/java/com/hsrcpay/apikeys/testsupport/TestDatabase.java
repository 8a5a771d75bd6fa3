package com.hsrcpay.apikeys.testsupport;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * Connection settings of one fresh, empty PostgreSQL database created by {@link TestPostgres#newDatabase()}.
 *
 * @param jdbcUrl  e.g. {@code jdbc:postgresql://localhost:54321/kms_test_1_3f9a0c1e}
 * @param username a superuser of the shared server
 * @param password its password
 */
public record TestDatabase(String jdbcUrl, String username, String password) {

    /** A new unpooled data source (one physical connection per {@code getConnection()}) for this database. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(username);
        dataSource.setPassword(password);
        return dataSource;
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl + ", user " + username + "]";
    }
}

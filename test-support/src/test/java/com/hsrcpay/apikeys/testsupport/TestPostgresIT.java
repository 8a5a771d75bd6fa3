package com.hsrcpay.apikeys.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TestPostgresIT {

    @Test
    void freshDatabaseAcceptsCreateInsertAndSelect() throws SQLException {
        TestDatabase database = TestPostgres.newDatabase();

        assertThat(database.jdbcUrl()).startsWith("jdbc:postgresql://");
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(tables(statement)).as("a fresh database has no tables").isEmpty();

            statement.execute("CREATE TABLE api_key (id BIGINT PRIMARY KEY, label TEXT NOT NULL)");
            statement.execute("INSERT INTO api_key (id, label) VALUES (1, 'first'), (2, 'second')");

            try (ResultSet rows = statement.executeQuery("SELECT id, label FROM api_key ORDER BY id")) {
                List<String> read = new ArrayList<>();
                while (rows.next()) {
                    read.add(rows.getLong("id") + "=" + rows.getString("label"));
                }
                assertThat(read).containsExactly("1=first", "2=second");
            }
            try (ResultSet version = statement.executeQuery("SHOW server_version_num")) {
                assertThat(version.next()).isTrue();
                assertThat(version.getInt(1)).as("PostgreSQL 17").isBetween(170000, 179999);
            }
        }
    }

    @Test
    void eachNewDatabaseIsADifferentIsolatedDatabase() throws SQLException {
        TestDatabase first = TestPostgres.newDatabase();
        TestDatabase second = TestPostgres.newDatabase();

        assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());
        try (Connection a = first.dataSource().getConnection();
                Connection b = second.dataSource().getConnection();
                Statement inFirst = a.createStatement();
                Statement inSecond = b.createStatement()) {
            assertThat(currentDatabase(inFirst)).isNotEqualTo(currentDatabase(inSecond));

            inFirst.execute("CREATE TABLE only_in_first (id INT)");
            inFirst.execute("INSERT INTO only_in_first VALUES (42)");

            assertThat(tables(inFirst)).containsExactly("only_in_first");
            assertThat(tables(inSecond)).isEmpty();
            assertThatExceptionOfType(SQLException.class)
                    .isThrownBy(() -> inSecond.executeQuery("SELECT id FROM only_in_first"))
                    .withMessageContaining("does not exist");

            // the same table name in the second database holds its own rows
            inSecond.execute("CREATE TABLE only_in_first (id INT)");
            try (ResultSet count = inSecond.executeQuery("SELECT count(*) FROM only_in_first")) {
                assertThat(count.next()).isTrue();
                assertThat(count.getInt(1)).isZero();
            }
        }
    }

    private static String currentDatabase(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT current_database()")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static List<String> tables(Statement statement) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}

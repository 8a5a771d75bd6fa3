package com.hsrcpay.apikeys.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurablePostgresIT {

    @Test
    void rowsSurviveARestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        try (DurablePostgres postgres = DurablePostgres.start(dataDir, 0)) {
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + postgres.port() + "/kms");
            assertThat(postgres.dataDirectory()).isEqualTo(dataDir.resolve("postgres").toAbsolutePath());
            execute(postgres, "CREATE TABLE survivor (id INT PRIMARY KEY, name TEXT NOT NULL)",
                    "INSERT INTO survivor VALUES (1, 'still here')");
            assertThat(currentDatabase(postgres)).isEqualTo("kms");
        }
        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();

        try (DurablePostgres restarted = DurablePostgres.start(dataDir, 0)) {
            assertThat(names(restarted)).containsExactly("still here");
        }
    }

    @Test
    void staleLockFileWhosePidBelongsToAnotherProcessDoesNotBlockTheStart(@TempDir Path dataDir) throws Exception {
        try (DurablePostgres postgres = DurablePostgres.start(dataDir, 0)) {
            execute(postgres, "CREATE TABLE survivor (id INT PRIMARY KEY, name TEXT NOT NULL)",
                    "INSERT INTO survivor VALUES (1, 'after crash')");
        }
        // what a crash leaves behind when the PID has since been reused: here by this very JVM, which is alive
        Path pidFile = dataDir.resolve("postgres/postmaster.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + dataDir.resolve("postgres") + "\n",
                StandardCharsets.UTF_8);

        try (DurablePostgres restarted = DurablePostgres.start(dataDir, 0)) {
            assertThat(names(restarted)).containsExactly("after crash");
        }
    }

    @Test
    void aPortInUseIsReportedClearly(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> DurablePostgres.start(dataDir, port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("PostgreSQL")
                    .hasMessageContaining("port " + port + " is already in use");
        }
    }

    private static void execute(DurablePostgres postgres, String... statements) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String currentDatabase(DurablePostgres postgres) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> names(DurablePostgres postgres) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT name FROM survivor ORDER BY id")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    private static Connection connect(DurablePostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}

package com.hsrcpay.apikeys.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * What the PostgreSQL server of {@link TestPostgres} logged itself: its {@code jsonlog} files (one JSON object a
 * line), read through SQL with {@code pg_read_file}, so the same works on the embedded and on the Docker path.
 * A client sees only its own failures; this sees every ERROR the server wrote, e.g. a unique violation that a
 * service caught and turned into a success.
 */
public final class PostgresLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "kms_log_marker_";

    private PostgresLog() {
    }

    /** One ERROR (or worse) line of the server's log. */
    public record Entry(String severity, String message, String statement) {
    }

    /**
     * Every ERROR, FATAL or PANIC logged for {@code database} so far. The server writes its log asynchronously, so
     * first a marker error is raised on that database and awaited: everything its clients were answered before this
     * call is in the log by then.
     */
    public static List<Entry> errors(TestDatabase database) {
        String marker = MARKER + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT " + marker + "()");
            throw new IllegalStateException("the marker function " + marker + " unexpectedly exists");
        }
        catch (SQLException expected) {
            // "function ... does not exist": the marker is in the log once the server has written it
        }
        String name = databaseName(database);
        List<Entry> errors = new ArrayList<>();
        await("PostgreSQL's log to show " + marker).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    errors.clear();
                    boolean markerSeen = false;
                    for (JsonNode line : lines(database)) {
                        if (!name.equals(line.path("dbname").asText())) {
                            continue;
                        }
                        String severity = line.path("error_severity").asText();
                        if (!List.of("ERROR", "FATAL", "PANIC").contains(severity)) {
                            continue;
                        }
                        String statement = line.path("statement").asText("");
                        String message = line.path("message").asText();
                        if (statement.contains(marker) || message.contains(marker)) {
                            markerSeen = true;
                        }
                        else if (!statement.contains(MARKER) && !message.contains(MARKER)) {
                            errors.add(new Entry(severity, message, statement)); // not an earlier call's marker
                        }
                    }
                    return markerSeen;
                });
        return List.copyOf(errors);
    }

    private static List<JsonNode> lines(TestDatabase database) throws SQLException {
        List<JsonNode> lines = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet files = statement.executeQuery("""
                        SELECT pg_read_file(current_setting('log_directory') || '/' || name)
                        FROM pg_ls_logdir() WHERE name LIKE '%.json' ORDER BY modification, name""")) {
            while (files.next()) {
                for (String line : files.getString(1).split("\n")) {
                    try {
                        if (!line.isBlank()) {
                            lines.add(JSON.readTree(line));
                        }
                    }
                    catch (JsonProcessingException halfWritten) {
                        // the line the server is writing right now: the next poll reads it whole
                    }
                }
            }
        }
        return lines;
    }

    private static String databaseName(TestDatabase database) {
        String url = database.jdbcUrl();
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return query < 0 ? url.substring(slash + 1) : url.substring(slash + 1, query);
    }
}

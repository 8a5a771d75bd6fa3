package com.hsrcpay.apikeys.query.eventstore;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** The head of the PostgreSQL event store: {@code max(global_index)} of {@code event_store.domain_event_entry}. */
public class PostgresEventStoreHead implements EventStoreHead {

    private final JdbcTemplate jdbc;

    public PostgresEventStoreHead(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long position() {
        Long head = jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry",
                Long.class);
        return head == null ? 0 : head;
    }

    /** @throws DateTimeParseException when the stored time stamp is not an ISO-8601 instant */
    @Override
    public Optional<Instant> timeOfEventAfter(long position) {
        List<String> next = jdbc.queryForList("SELECT time_stamp FROM event_store.domain_event_entry "
                + "WHERE global_index > ? ORDER BY global_index LIMIT 1", String.class, position);
        return next.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(next.get(0)));
    }

    @Override
    public boolean knowsEventTimes() {
        return true;
    }
}

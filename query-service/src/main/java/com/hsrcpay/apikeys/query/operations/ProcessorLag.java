package com.hsrcpay.apikeys.query.operations;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.OptionalLong;

/** How far each streaming processor is behind the head of the event store, in events and in milliseconds. */
public class ProcessorLag {

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;
    private final Clock clock;

    ProcessorLag(JdbcTemplate jdbc, EventProcessingConfiguration processing, Clock clock) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.clock = clock;
    }

    /** Head global index − lowest token position of the processor's segments; NaN when it claims none. */
    public double events(String processorName) {
        OptionalLong position = position(processorName);
        if (position.isEmpty()) {
            return Double.NaN;
        }
        Long head = jdbc.queryForObject(
                "SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry", Long.class);
        return Math.max(0, (head == null ? 0 : head) - position.getAsLong());
    }

    /** Now − time of the oldest event after the processor's position (0 when caught up); NaN when it claims none. */
    public double millis(String processorName) {
        OptionalLong position = position(processorName);
        if (position.isEmpty()) {
            return Double.NaN;
        }
        List<String> next = jdbc.queryForList("SELECT time_stamp FROM event_store.domain_event_entry "
                + "WHERE global_index > ? ORDER BY global_index LIMIT 1", String.class, position.getAsLong());
        if (next.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, clock.millis() - Instant.parse(next.get(0)).toEpochMilli());
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }

    private OptionalLong position(String processorName) {
        return processing.eventProcessor(processorName, StreamingEventProcessor.class)
                .map(processor -> processor.processingStatus().values().stream()
                        .map(EventTrackerStatus::getTrackingToken)
                        .map(token -> token == null ? OptionalLong.of(-1) : positionOf(token))
                        .filter(OptionalLong::isPresent)
                        .mapToLong(OptionalLong::getAsLong)
                        .min())
                .map(min -> min.isPresent() ? OptionalLong.of(min.getAsLong()) : OptionalLong.empty())
                .orElse(OptionalLong.empty());
    }

    private static OptionalLong positionOf(TrackingToken token) {
        return token.position();
    }
}

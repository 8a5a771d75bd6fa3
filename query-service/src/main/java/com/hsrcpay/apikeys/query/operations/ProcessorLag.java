package com.hsrcpay.apikeys.query.operations;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import com.hsrcpay.apikeys.query.eventstore.EventStoreHead;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

/** How far each streaming processor is behind the head of the event store, in events and in milliseconds. */
public class ProcessorLag {

    private final EventStoreHead head;
    private final EventProcessingConfiguration processing;
    private final Clock clock;

    ProcessorLag(EventStoreHead head, EventProcessingConfiguration processing, Clock clock) {
        this.head = head;
        this.processing = processing;
        this.clock = clock;
    }

    /** Head global index − lowest token position of the processor's segments; NaN when it claims none. */
    public double events(String processorName) {
        OptionalLong position = position(processorName);
        if (position.isEmpty()) {
            return Double.NaN;
        }
        return Math.max(0, head.position() - position.getAsLong());
    }

    /**
     * Now − time of the oldest event after the processor's position (0 when caught up); NaN when it claims none or
     * when the event store does not tell event times (Axon Server mode).
     */
    public double millis(String processorName) {
        OptionalLong position = position(processorName);
        if (position.isEmpty() || !head.knowsEventTimes()) {
            return Double.NaN;
        }
        try {
            Optional<Instant> next = head.timeOfEventAfter(position.getAsLong());
            return next.map(time -> (double) Math.max(0, clock.millis() - time.toEpochMilli())).orElse(0.0);
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

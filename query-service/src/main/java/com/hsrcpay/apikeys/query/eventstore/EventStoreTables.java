package com.hsrcpay.apikeys.query.eventstore;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.eventstore.EventStoreAutoConfiguration;

/**
 * Whether the events are in PostgreSQL's {@code event_store.domain_event_entry}, which the chain check and the
 * audit export read by SQL. With the event store on Axon Server that table is empty, and those endpoints answer
 * 501 with the reason instead of an empty (and so false) result.
 */
public class EventStoreTables {

    public static final String REASON = "not_available_with_axon_server";

    private final String type;

    public EventStoreTables(String type) {
        this.type = type;
    }

    /** True when the events are in the PostgreSQL tables (the default mode). */
    public boolean present() {
        return EventStoreAutoConfiguration.POSTGRES.equals(type);
    }

    /** @throws ApiException 501 {@value #REASON} when the events are not in the PostgreSQL tables */
    public void require(String feature) {
        if (!present()) {
            throw new ApiException(ApiError.of(501, REASON, feature + " reads the PostgreSQL event store table"
                    + " event_store.domain_event_entry, which holds no events when the event store is Axon Server"
                    + " (" + EventStoreAutoConfiguration.TYPE + "=" + type + "); not available in this mode"));
        }
    }
}

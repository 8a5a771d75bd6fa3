package com.hsrcpay.apikeys.shared.message;

/** Topic {@code api-key-events}: every lifecycle event as JSON, record key = key id, and these headers. */
public final class KeyEventHeaders {

    public static final String TOPIC = "api-key-events";
    /** The event's simple type name, e.g. {@code KeyCreated}. */
    public static final String EVENT_TYPE = "event_type";
    /** The event's unique id: consumers deduplicate on it. */
    public static final String EVENT_ID = "event_id";
    /** {@code live} or {@code test}. */
    public static final String MODE = "mode";
    /** The payload revision, for upcasting on the consumer side. */
    public static final String REVISION = "revision";

    private KeyEventHeaders() {
    }
}

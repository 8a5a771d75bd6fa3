package com.hsrcpay.apikeys.shared.message;

/**
 * Topic {@code api-key-events}: every lifecycle event as a {@link KeyEventMessage} (JSON), record key = key id, as a
 * CloudEvent in the Kafka binding's binary mode (the {@code ce_*} and {@code content-type} headers), plus these
 * headers of our own, which predate the binding and stay for the consumers that read them.
 */
public final class KeyEventHeaders {

    public static final String TOPIC = "api-key-events";
    /** The event's simple type name, e.g. {@code KeyCreated} (the message's {@code type}). */
    public static final String EVENT_TYPE = "event_type";
    /** The event's unique id: consumers deduplicate on it (= {@code ce_id} = the message's {@code event_id}). */
    public static final String EVENT_ID = "event_id";
    /** {@code live} or {@code test}. */
    public static final String MODE = "mode";
    /** The message revision of its type ({@link KeyEventMessage#REVISION}); additive changes raise it. */
    public static final String REVISION = "revision";

    /** The CloudEvents attributes as Kafka headers (binary mode). */
    public static final String CE_SPECVERSION = "ce_specversion";
    public static final String CE_ID = "ce_id";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_TYPE = "ce_type";
    public static final String CE_TIME = "ce_time";
    public static final String CE_SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    /** The default {@code ce_source} ({@code kms.kafka.event-source}). */
    public static final String DEFAULT_SOURCE = "/hsrcpay/api-keys";

    private KeyEventHeaders() {
    }
}

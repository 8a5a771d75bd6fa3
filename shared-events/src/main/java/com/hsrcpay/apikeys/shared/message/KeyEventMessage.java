package com.hsrcpay.apikeys.shared.message;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.hsrcpay.apikeys.shared.key.Actor;

import java.time.Instant;

/**
 * The value of a record on {@code api-key-events}: the published form of one stored key event, snake_case, with its
 * facts in {@code data} (secrets only as SHA-256 hashes or masked hints). Its own shape, mapped in one place
 * ({@link KeyEventMessages}), so the stored events (the hash chain's input) can stay as they are and this contract
 * can follow its own versioning rule (the AsyncAPI document {@value #ASYNCAPI_RESOURCE}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KeyEventMessage(
        String eventId,
        String keyId,
        String accountId,
        String mode,
        long sequenceNumber,
        String type,
        Instant occurredAt,
        Actor actor,
        String requestId,
        KeyEventData data) {

    /** The AsyncAPI 3 document of both topics, on the class path of every module that has this one. */
    public static final String ASYNCAPI_RESOURCE = "asyncapi/api-keys.asyncapi.json";
    /** {@code ce_type} = this + {@link #type}, e.g. {@code com.hsrcpay.apikey.KeyRevoked}. */
    public static final String CLOUD_EVENT_TYPE_PREFIX = "com.hsrcpay.apikey.";
    /**
     * The message revision of every type (header {@code revision}): raised by an additive change of a type's data;
     * a breaking change is a new {@code ce_type} instead (README, "Versioning of messages"). 2: KeyCreated carries
     * {@code ratelimits} and {@code credits}, KeyUpdated's changes may name them, CreditsAdjusted and CreditsRefilled
     * are new. 3: KeyExposed is new.
     */
    public static final String REVISION = "3";
}

package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.command.key.application.IssuedKey;
import com.hsrcpay.apikeys.edge.envelope.ApiKeyObject;
import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.shared.event.KeyState;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.net.URI;

/**
 * Write responses: the api_key object in the success envelope, the key's version as ETag, and a consistency
 * token the read side honours so a client can read its own write.
 */
final class KeyResponses {

    static final String CONSISTENCY_TOKEN = "X-Consistency-Token";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private KeyResponses() {
    }

    /** A create or regenerate: the plaintext once, or the masked key and a replay marker for an idempotent retry. */
    static ResponseEntity<Envelope.Single<ApiKeyObject>> issued(HttpStatus status, IssuedKey issued) {
        ResponseEntity.BodyBuilder builder = builder(status, issued.key());
        if (issued.replayed()) {
            builder.header(IDEMPOTENT_REPLAYED, "true");
        }
        return builder.body(Envelope.of(toObject(issued.key(), issued.plaintext())));
    }

    static ResponseEntity<Envelope.Single<ApiKeyObject>> of(HttpStatus status, KeyState key) {
        return builder(status, key).body(Envelope.of(toObject(key, null)));
    }

    private static ResponseEntity.BodyBuilder builder(HttpStatus status, KeyState key) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status)
                .eTag("\"" + key.version() + "\"")
                .header(CONSISTENCY_TOKEN, key.keyId() + ":" + key.version());
        if (status == HttpStatus.CREATED) {
            builder.location(URI.create("/v1/api-keys/" + key.keyId()));
        }
        return builder;
    }

    static ApiKeyObject toObject(KeyState key, String plaintext) {
        return ApiKeyObject.of(key, plaintext != null ? plaintext : key.secretHint(), null, null);
    }
}

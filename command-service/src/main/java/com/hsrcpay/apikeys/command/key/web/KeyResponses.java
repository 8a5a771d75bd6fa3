package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.command.key.model.KeySnapshot;
import com.hsrcpay.apikeys.edge.envelope.ApiKeyObject;
import com.hsrcpay.apikeys.edge.envelope.Envelope;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.net.URI;

/**
 * Write responses: the api_key object in the success envelope, the key's version as ETag, and a consistency
 * token the read side honours so a client can read its own write.
 */
final class KeyResponses {

    static final String CONSISTENCY_TOKEN = "X-Consistency-Token";

    private KeyResponses() {
    }

    static ResponseEntity<Envelope.Single<ApiKeyObject>> of(HttpStatus status, KeySnapshot key, String plaintext) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status)
                .eTag("\"" + key.version() + "\"")
                .header(CONSISTENCY_TOKEN, key.keyId() + ":" + key.version());
        if (status == HttpStatus.CREATED) {
            builder.location(URI.create("/v1/api-keys/" + key.keyId()));
        }
        return builder.body(Envelope.of(toObject(key, plaintext)));
    }

    static ApiKeyObject toObject(KeySnapshot key, String plaintext) {
        return new ApiKeyObject(ApiKeyObject.OBJECT, key.keyId().toString(), key.accountId().value(),
                key.applicationId() == null ? null : key.applicationId().toString(), key.name(), key.type().name(),
                plaintext != null ? plaintext : key.secretHint(), null, key.metadata(), key.permissions().grants(),
                key.status().name(), null, key.expiresAt(), key.managed(), key.deleted(), key.createdAt(),
                key.updatedAt(), key.version());
    }
}

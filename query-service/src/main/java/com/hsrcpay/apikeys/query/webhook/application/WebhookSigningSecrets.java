package com.hsrcpay.apikeys.query.webhook.application;

import com.standardwebhooks.Webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An endpoint's signing secret, derived when needed: {@code whsec_} + base64 of HMAC-SHA256(master key,
 * "webhook-endpoint:" + endpoint id), 32 bytes no one can tell from random without the master key. Derived, not
 * stored: no table, event or log ever holds it (nor a ciphertext of it), every instance computes the same one, and
 * the create answer is the one place it is shown. Rotating the master key changes every endpoint's secret.
 */
public final class WebhookSigningSecrets {

    private static final String PREFIX = "whsec_";
    private final byte[] masterKey;

    public WebhookSigningSecrets(byte[] masterKey) {
        this.masterKey = masterKey.clone();
    }

    /** The secret as merchants get it (once, at create) and verify with. */
    public String secretOf(UUID endpointId) {
        return PREFIX + Base64.getEncoder().encodeToString(keyOf(endpointId));
    }

    /** The Standard Webhooks signer of the endpoint's deliveries. */
    public Webhook signerOf(UUID endpointId) {
        return new Webhook(keyOf(endpointId));
    }

    private byte[] keyOf(UUID endpointId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
            return mac.doFinal(("webhook-endpoint:" + endpointId).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSigningSecrets[***]";
    }
}

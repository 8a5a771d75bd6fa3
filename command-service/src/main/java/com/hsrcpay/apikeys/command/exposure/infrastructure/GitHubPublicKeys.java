package com.hsrcpay.apikeys.command.exposure.infrastructure;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub's secret scanning public keys ({@code {"public_keys": [{"key_identifier", "key" (PEM), "is_current"}]}}, at
 * {@code KMS_GITHUB_SECRET_SCANNING_KEYS_URL}) and the check of a report's signature: ECDSA P-256 with SHA-256 over
 * the raw body, DER, base64 in {@code Github-Public-Key-Signature}, by the key {@code Github-Public-Key-Identifier}
 * names. Keys are fetched once and cached; an identifier not among them refetches the document, at most once per
 * {@code refetchInterval} (a flood of made-up identifiers costs GitHub one request a minute). A key that is no longer
 * current still verifies: GitHub may sign with it while it rotates.
 */
public class GitHubPublicKeys {

    private static final Logger LOG = LoggerFactory.getLogger(GitHubPublicKeys.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI documentUrl;
    private final Duration refetchInterval;
    private final Duration fetchTimeout;
    private final Clock clock;
    private final HttpClient http;
    private volatile Map<String, PublicKey> keys = Map.of();
    private Instant fetchedAt; // guarded by this

    public GitHubPublicKeys(URI documentUrl, Duration refetchInterval, Duration fetchTimeout, Clock clock) {
        this.documentUrl = documentUrl;
        this.refetchInterval = refetchInterval;
        this.fetchTimeout = fetchTimeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(fetchTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Whether {@code signatureBase64} is a valid signature of {@code body} by the key named {@code identifier}. */
    public boolean verifies(String identifier, String signatureBase64, byte[] body) {
        if (identifier == null || identifier.isEmpty() || signatureBase64 == null || signatureBase64.isEmpty()) {
            return false;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureBase64.trim());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        Optional<PublicKey> key = key(identifier);
        if (key.isEmpty()) {
            return false;
        }
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initVerify(key.get());
            ecdsa.update(body);
            return ecdsa.verify(signature);
        } catch (SignatureException malformed) {
            return false; // not a DER ECDSA signature
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA with SHA-256 is part of every JDK", e);
        }
    }

    /** The key of {@code identifier}: cached, or after a refetch when the last fetch is long enough ago. */
    Optional<PublicKey> key(String identifier) {
        PublicKey known = keys.get(identifier);
        if (known != null) {
            return Optional.of(known);
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (!keys.containsKey(identifier) && (fetchedAt == null || !now.isBefore(fetchedAt.plus(refetchInterval)))) {
                fetchedAt = now;
                fetch();
            }
            return Optional.ofNullable(keys.get(identifier));
        }
    }

    private void fetch() {
        try {
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(documentUrl).timeout(fetchTimeout)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                LOG.warn("GitHub's secret scanning keys at {} answered {}: keeping the {} known", documentUrl,
                        answer.statusCode(), keys.size());
                return;
            }
            Document document = JSON.readValue(answer.body(), Document.class);
            Map<String, PublicKey> fetched = new HashMap<>();
            for (Document.Entry entry : document.publicKeys() == null ? List.<Document.Entry>of() : document.publicKeys()) {
                if (entry.keyIdentifier() != null && entry.key() != null) {
                    fetched.put(entry.keyIdentifier(), pem(entry.key()));
                }
            }
            keys = Map.copyOf(fetched);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            LOG.warn("GitHub's secret scanning keys at {} could not be read ({}): keeping the {} known", documentUrl,
                    e.getClass().getSimpleName(), keys.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PublicKey pem(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** GitHub's document; {@code is_current} is read but does not matter: every listed key verifies. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Document(@JsonProperty("public_keys") List<Entry> publicKeys) {

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Entry(@JsonProperty("key_identifier") String keyIdentifier, @JsonProperty("key") String key,
                     @JsonProperty("is_current") Boolean isCurrent) {
        }
    }
}

package com.hsrcpay.apikeys.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GitHub's side of secret scanning, played for real: ECDSA P-256 signing keys, and a local HTTP server serving the
 * public keys document as GitHub's {@code /meta/public_keys/secret_scanning} does
 * ({@code {"public_keys": [{"key_identifier", "key" (PEM), "is_current"}]}}). Reports are signed as GitHub signs them:
 * base64 of the DER ECDSA SHA-256 signature over the raw body.
 */
public final class FakeGitHub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<SigningKey> published = new ArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    /** One signing key: its identifier (GitHub's are the SHA-256 hex of the key) and the pair. */
    public record SigningKey(String identifier, KeyPair pair) {

        /** {@code Github-Public-Key-Signature} of {@code body}. */
        public String sign(String body) {
            try {
                Signature ecdsa = Signature.getInstance("SHA256withECDSA");
                ecdsa.initSign(pair.getPrivate());
                ecdsa.update(body.getBytes(StandardCharsets.UTF_8));
                return Base64.getEncoder().encodeToString(ecdsa.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String pem() {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pair.getPublic().getEncoded());
            return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
        }
    }

    public FakeGitHub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/meta/public_keys/secret_scanning", exchange -> {
            fetches.incrementAndGet();
            byte[] body = document().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** A new P-256 key pair (not published until {@link #publish}). */
    public static SigningKey newSigningKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(pair.getPublic().getEncoded()));
            return new SigningKey(id, pair);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lists {@code key} in the document as the current key; the keys listed before stay, no longer current. */
    public synchronized SigningKey publish(SigningKey key) {
        published.add(key);
        return key;
    }

    /** Where the document is: {@code KMS_GITHUB_SECRET_SCANNING_KEYS_URL}. */
    public String publicKeysUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/meta/public_keys/secret_scanning";
    }

    /** How often the document was fetched. */
    public int fetches() {
        return fetches.get();
    }

    /** A report body as GitHub sends it: one match per token. */
    public static String report(String type, String url, String... tokens) {
        List<Map<String, String>> matches = new ArrayList<>();
        for (String token : tokens) {
            Map<String, String> match = new LinkedHashMap<>();
            match.put("token", token);
            match.put("type", type);
            match.put("url", url);
            match.put("source", "content");
            matches.add(match);
        }
        try {
            return JSON.writeValueAsString(matches);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized String document() {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (int i = 0; i < published.size(); i++) {
            SigningKey key = published.get(i);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key_identifier", key.identifier());
            entry.put("key", key.pem());
            entry.put("is_current", i == published.size() - 1);
            keys.add(entry);
        }
        try {
            return JSON.writeValueAsString(Map.of("public_keys", keys));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

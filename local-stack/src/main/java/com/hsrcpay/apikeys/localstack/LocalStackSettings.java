package com.hsrcpay.apikeys.localstack;

import com.hsrcpay.apikeys.localstack.gateway.GatewaySettings;
import com.hsrcpay.apikeys.localstack.gateway.WriteTurns;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The local stack's settings, all from KMS_* environment variables with laptop-friendly defaults.
 *
 * @param gateway     the API port: {@code KMS_BIND_ADDRESS} (default 127.0.0.1, this machine only), {@code KMS_PORT},
 *                    {@code KMS_GATEWAY_TIMEOUT_MS}, and the writes it forwards at once per credential
 *                    ({@code KMS_GATEWAY_WRITES_PER_CREDENTIAL}, {@code KMS_GATEWAY_WRITE_QUEUE_WAIT_MS})
 * @param commandPort the command service's own port on loopback ({@code KMS_COMMAND_PORT}, 8081; 0: a free one), where
 *                    its actuator (health, Prometheus) answers, as when it runs alone
 * @param queryPort   the query service's own port on loopback ({@code KMS_QUERY_PORT}, 8082; 0: a free one): actuator
 *                    and the operator's replay endpoint
 * @param transparencySigningKey the transparency log's checkpoint signing key ({@code KMS_TRANSPARENCY_SIGNING_KEY}),
 *                    else one made once per data directory, like the JWT secret, so checkpoints an auditor saved
 *                    still verify after a restart
 * @param webhookSecretKey the master key webhook signing secrets are derived from ({@code KMS_WEBHOOKS_SECRET_KEY}),
 *                    else one made once per data directory, so the secrets merchants saved still verify after a restart
 */
record LocalStackSettings(Path dataDir, GatewaySettings gateway, int commandPort, int queryPort, int kafkaPort,
                          int postgresPort, String jwtHmacSecret, String transparencySigningKey,
                          String webhookSecretKey) {

    /** The origin of the local stack's transparency log (the name of its signing key). */
    static final String TRANSPARENCY_ORIGIN = "localhost/hsrcpay-api-keys";

    static LocalStackSettings from(Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("KMS_DATA_DIR", System.getProperty("user.home") + "/.kms-local"))
                .toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("KMS_DATA_DIR " + dataDir + " cannot be created", e);
        }
        String secret = env.get("KMS_AUTH_JWT_HMAC_SECRET");
        String signingKey = env.get("KMS_TRANSPARENCY_SIGNING_KEY");
        String webhookKey = env.get("KMS_WEBHOOKS_SECRET_KEY");
        GatewaySettings gateway = new GatewaySettings(bindAddress(env), port(env, "KMS_PORT", 8080),
                GatewaySettings.CONNECT_TIMEOUT, timeout(env, "KMS_GATEWAY_TIMEOUT_MS", GatewaySettings.UPSTREAM_TIMEOUT),
                new WriteTurns.Limits(count(env, "KMS_GATEWAY_WRITES_PER_CREDENTIAL",
                        WriteTurns.Limits.DEFAULT.perCredential()),
                        timeout(env, "KMS_GATEWAY_WRITE_QUEUE_WAIT_MS", WriteTurns.Limits.DEFAULT.queueWait())));
        return new LocalStackSettings(dataDir, gateway,
                port(env, "KMS_COMMAND_PORT", 8081),
                port(env, "KMS_QUERY_PORT", 8082),
                port(env, "KMS_KAFKA_PORT", 9092),
                port(env, "KMS_PG_PORT", 0),
                secret != null && !secret.isBlank() ? secret : persistentSecret(dataDir.resolve("jwt-hmac-secret")),
                signingKey != null && !signingKey.isBlank() ? signingKey.trim()
                        : persistentSigningKey(dataDir.resolve("transparency-signing-key")),
                webhookKey != null && !webhookKey.isBlank() ? webhookKey
                        : persistentSecret(dataDir.resolve("webhook-secret-key")));
    }

    private static String bindAddress(Map<String, String> env) {
        String value = env.get("KMS_BIND_ADDRESS");
        if (value == null || value.isBlank()) {
            return GatewaySettings.LOOPBACK;
        }
        try {
            return InetAddress.getByName(value.trim()).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("KMS_BIND_ADDRESS must be an address of this machine (e.g. 127.0.0.1, "
                    + "or 0.0.0.0 for every interface), not '" + value + "'");
        }
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (0-65535), not '" + value + "'");
        }
    }

    private static int count(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int count = Integer.parseInt(value.trim());
            if (count < 1) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number above 0, not '" + value + "'");
        }
    }

    private static Duration timeout(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(millis);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of milliseconds above 0, not '" + value + "'");
        }
    }

    /** A dev secret (JWT signing, webhook master key) made once per data directory, so it survives restarts. */
    private static String persistentSecret(Path file) {
        try {
            if (Files.exists(file)) {
                return OwnerOnlyFiles.read(file).trim();
            }
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            OwnerOnlyFiles.write(file, secret);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("The dev secret in " + file + " cannot be read or written", e);
        }
    }

    /** A note signer key made once per data directory (owner-only file, never logged). */
    private static String persistentSigningKey(Path file) {
        try {
            if (Files.exists(file)) {
                return OwnerOnlyFiles.read(file).trim();
            }
            String key = NoteSigner.generate(TRANSPARENCY_ORIGIN);
            OwnerOnlyFiles.write(file, key);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("The transparency signing key in " + file + " cannot be read or written", e);
        }
    }
}

package com.hsrcpay.apikeys.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/** The local stack's settings, all from KMS_* environment variables with laptop-friendly defaults. */
record LocalStackSettings(Path dataDir, int apiPort, int kafkaPort, int postgresPort, String jwtHmacSecret) {

    static LocalStackSettings from(Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("KMS_DATA_DIR", System.getProperty("user.home") + "/.kms-local"))
                .toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("KMS_DATA_DIR " + dataDir + " cannot be created", e);
        }
        String secret = env.get("KMS_AUTH_JWT_HMAC_SECRET");
        return new LocalStackSettings(dataDir,
                port(env, "KMS_PORT", 8080),
                port(env, "KMS_KAFKA_PORT", 9092),
                port(env, "KMS_PG_PORT", 0),
                secret != null && !secret.isBlank() ? secret : persistentSecret(dataDir.resolve("jwt-hmac-secret")));
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

    /** A dev signing secret made once per data directory, so tokens stay valid across restarts. */
    private static String persistentSecret(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, secret);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("The dev JWT secret in " + file + " cannot be read or written", e);
        }
    }
}

package com.hsrcpay.apikeys.testsupport;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the real PostgreSQL and Kafka used by integration tests come from.
 *
 * <p>Requested through the system property {@value #SYSTEM_PROPERTY} or, when that is not set, the environment
 * variable {@value #ENV_VARIABLE}. Values are case-insensitive: {@code docker}, {@code embedded}, {@code auto}
 * (the default). The path actually chosen for the JVM ({@link #DOCKER} or {@link #EMBEDDED}) is
 * {@link RealInfrastructure#mode()}.
 */
public enum InfrastructureMode {

    /** Testcontainers if a Docker engine answers, otherwise embedded. */
    AUTO,

    /** Testcontainers ({@code postgres:17-alpine}, {@code apache/kafka:3.9.1}); fails if no Docker engine answers. */
    DOCKER,

    /** Embedded PostgreSQL binaries (zonky) and an in-process KRaft Kafka broker; Docker is never probed. */
    EMBEDDED;

    /** Environment variable that selects the mode. */
    public static final String ENV_VARIABLE = "KMS_TEST_INFRA";

    /** System property that selects the mode; it wins over {@link #ENV_VARIABLE}. */
    public static final String SYSTEM_PROPERTY = "kms.test.infra";

    /**
     * Parses a user-supplied value (trimmed, case-insensitive); blank or {@code null} means {@link #AUTO}.
     *
     * @param value the raw value
     * @param origin where the value came from, used in the error message (e.g. "environment variable KMS_TEST_INFRA")
     * @throws IllegalArgumentException naming the origin, the bad value and the accepted values
     */
    public static InfrastructureMode parse(String value, String origin) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        String normalized = value.trim().toUpperCase(Locale.ROOT);
        for (InfrastructureMode mode : values()) {
            if (mode.name().equals(normalized)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("Invalid test infrastructure mode '" + value + "' in " + origin
                + ": expected one of " + acceptedValues() + " (case-insensitive)");
    }

    /** The value as written in the environment variable or system property. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static String acceptedValues() {
        return Arrays.stream(values()).map(InfrastructureMode::value).collect(Collectors.joining(", "));
    }
}

package com.hsrcpay.apikeys.testsupport;

import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Decides, once per JVM, whether PostgreSQL and Kafka come from Testcontainers or from embedded servers. Both
 * servers always take the same path.
 */
final class InfrastructureSelection {

    private static final Logger LOG = LoggerFactory.getLogger(InfrastructureSelection.class);

    /** What the user asked for and where that came from (for messages). */
    record Requested(InfrastructureMode mode, String origin) {
    }

    /** The path taken ({@link InfrastructureMode#DOCKER} or {@link InfrastructureMode#EMBEDDED}) and why. */
    record Choice(InfrastructureMode mode, String reason) {
    }

    private static Choice current;

    private static RuntimeException failure;

    private InfrastructureSelection() {
    }

    /** The choice for this JVM; decided (and logged) on first call. A failure is rethrown on every later call. */
    static synchronized Choice current() {
        if (current != null) {
            return current;
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        try {
            current = choose(requested(System::getProperty, System::getenv),
                    () -> DockerClientFactory.instance().isDockerAvailable());
            LOG.info("Test infrastructure: {} ({})", current.mode().value(), current.reason());
            return current;
        }
        catch (RuntimeException ex) {
            failure = ex;
            throw ex;
        }
    }

    /** Reads the system property first, then the environment variable; neither set means {@code auto}. */
    static Requested requested(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
        String property = systemProperties.apply(InfrastructureMode.SYSTEM_PROPERTY);
        String variable = environment.apply(InfrastructureMode.ENV_VARIABLE);
        if (property != null && !property.isBlank()) {
            String origin = "system property " + InfrastructureMode.SYSTEM_PROPERTY;
            InfrastructureMode mode = InfrastructureMode.parse(property, origin);
            if (variable != null && !variable.isBlank()) {
                origin += " (overrides " + InfrastructureMode.ENV_VARIABLE + "=" + variable.trim() + ")";
            }
            return new Requested(mode, origin);
        }
        if (variable != null && !variable.isBlank()) {
            String origin = "environment variable " + InfrastructureMode.ENV_VARIABLE;
            return new Requested(InfrastructureMode.parse(variable, origin), origin);
        }
        return new Requested(InfrastructureMode.AUTO, "default, neither " + InfrastructureMode.SYSTEM_PROPERTY
                + " nor " + InfrastructureMode.ENV_VARIABLE + " is set");
    }

    /**
     * Resolves a request to DOCKER or EMBEDDED. The probe is only called for {@code docker} and {@code auto}.
     *
     * @throws IllegalStateException if {@code docker} is forced and no Docker engine answers
     */
    static Choice choose(Requested requested, BooleanSupplier dockerAvailable) {
        return switch (requested.mode()) {
            case EMBEDDED -> new Choice(InfrastructureMode.EMBEDDED,
                    "embedded forced by " + requested.origin() + "; Docker not probed");
            case DOCKER -> {
                if (!dockerAvailable.getAsBoolean()) {
                    throw new IllegalStateException("Test infrastructure 'docker' is forced by " + requested.origin()
                            + " but no Docker engine answers (Testcontainers DockerClientFactory"
                            + ".isDockerAvailable() is false; its ERROR log above lists what it tried). Start a"
                            + " Docker engine, or set "
                            + InfrastructureMode.ENV_VARIABLE + "=embedded (or auto) to use embedded PostgreSQL"
                            + " and Kafka.");
                }
                yield new Choice(InfrastructureMode.DOCKER, "docker forced by " + requested.origin()
                        + " and a Docker engine answers");
            }
            case AUTO -> dockerAvailable.getAsBoolean()
                    ? new Choice(InfrastructureMode.DOCKER, "auto (" + requested.origin()
                            + "): a Docker engine answers, using Testcontainers")
                    : new Choice(InfrastructureMode.EMBEDDED, "auto (" + requested.origin()
                            + "): no Docker engine answers, using embedded PostgreSQL and Kafka");
        };
    }
}

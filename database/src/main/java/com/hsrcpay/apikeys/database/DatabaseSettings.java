package com.hsrcpay.apikeys.database;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * {@code kms.db.*}: every wait on the database is bounded. Two sets of bounds: {@code request} for work a client is
 * waiting for (a stuck database fails it within about two seconds, answered 503, instead of holding it), and
 * {@code background} for projections, the LISTEN connection and deadlines, which may take longer and retry by
 * themselves. {@code primary} says which set Spring's own pool gets; {@code pools} sizes the dedicated pools, one per
 * kind of work, so that none can starve another.
 */
@ConfigurationProperties("kms.db")
public record DatabaseSettings(
        @DefaultValue RequestBounds request,
        @DefaultValue BackgroundBounds background,
        @DefaultValue("request") Profile primary,
        @DefaultValue Map<String, Integer> pools) {

    public enum Profile { REQUEST, BACKGROUND }

    /** Waiting for a connection, a statement, a lock, and a server that does not answer at all. */
    public interface Bounds {
        Duration acquireTimeout();

        Duration statementTimeout();

        Duration lockTimeout();

        Duration socketTimeout();
    }

    public record RequestBounds(@DefaultValue("1s") Duration acquireTimeout,
                                @DefaultValue("1s") Duration statementTimeout,
                                @DefaultValue("500ms") Duration lockTimeout,
                                @DefaultValue("1s") Duration socketTimeout) implements Bounds {
    }

    public record BackgroundBounds(@DefaultValue("5s") Duration acquireTimeout,
                                   @DefaultValue("10s") Duration statementTimeout,
                                   @DefaultValue("5s") Duration lockTimeout,
                                   @DefaultValue("15s") Duration socketTimeout) implements Bounds {
    }

    public Bounds bounds(Profile profile) {
        return profile == Profile.REQUEST ? request : background;
    }

    int poolSize(String name, int fallback) {
        return pools.getOrDefault(name, fallback);
    }
}

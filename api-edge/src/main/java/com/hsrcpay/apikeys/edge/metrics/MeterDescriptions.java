package com.hsrcpay.apikeys.edge.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives every meter without a description one, so every family of the Prometheus scrape has a HELP text: Micrometer
 * writes a meter without one as {@code # HELP name} with nothing after it, and strict text-format parsers refuse the
 * whole scrape for it. The service's own meters ({@code kms.*}) describe themselves and pass unchanged; the known
 * third-party families (Axon, Spring's HTTP and Spring Security observations, Tomcat's sessions) get a description
 * here, any other a generic one that says only what is known.
 */
public final class MeterDescriptions implements MeterFilter {

    /** axon-micrometer, dimensional: {@code <component>.<measure>}, e.g. {@code commandBus.successCounter}. */
    private static final Pattern AXON = Pattern.compile(
            "(commandBus|eventBus|eventStore|eventProcessor|queryBus|queryUpdateEmitter)\\.([A-Za-z]+)");
    private static final Map<String, String> AXON_MEASURES = Map.ofEntries(
            Map.entry("ingestedCounter", "messages received"),
            Map.entry("successCounter", "messages handled successfully"),
            Map.entry("failureCounter", "messages whose handling failed"),
            Map.entry("ignoredCounter", "messages ignored (no handler for them)"),
            Map.entry("processedCounter", "messages processed"),
            Map.entry("allTimer", "handling time of every message"),
            Map.entry("successTimer", "handling time of messages handled successfully"),
            Map.entry("failureTimer", "handling time of messages whose handling failed"),
            Map.entry("ignoredTimer", "handling time of ignored messages"),
            Map.entry("capacity", "share of the time spent handling messages in the last window (1 = one thread busy"
                    + " all the time)"),
            Map.entry("latency", "time from an event's timestamp to its handling, in milliseconds"));
    /** Spring Security's filter-chain observation counts its events, e.g. {@code ...filterchains.header.before}. */
    private static final Pattern FILTER_CHAIN_EVENT =
            Pattern.compile("spring\\.security\\.filterchains\\.(.+)\\.(before|after)");
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("http.server.requests", "HTTP requests served, by method, URI template, status and outcome"),
            Map.entry("http.server.requests.active", "HTTP requests being served now"),
            Map.entry("spring.security.filterchains", "Passes through Spring Security's filter chains"),
            Map.entry("spring.security.filterchains.active", "Passes through Spring Security's filter chains now"),
            Map.entry("spring.security.authorizations", "Spring Security authorization decisions"),
            Map.entry("spring.security.authorizations.active", "Spring Security authorization decisions being made"),
            Map.entry("spring.security.http.secured.requests", "Requests through Spring Security's secured chain"),
            Map.entry("spring.security.http.secured.requests.active",
                    "Requests in Spring Security's secured chain now"),
            Map.entry("tomcat.sessions.active.current", "Tomcat HTTP sessions open now (the API is stateless: 0)"),
            Map.entry("tomcat.sessions.active.max", "Most Tomcat HTTP sessions open at once"),
            Map.entry("tomcat.sessions.alive.max", "Longest time a Tomcat HTTP session was alive"),
            Map.entry("tomcat.sessions.created", "Tomcat HTTP sessions created"),
            Map.entry("tomcat.sessions.expired", "Tomcat HTTP sessions expired"),
            Map.entry("tomcat.sessions.rejected", "Tomcat HTTP sessions refused (the limit was reached)"));

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null && !id.getDescription().isBlank()) {
            return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), describe(id),
                id.getType());
    }

    static String describe(Meter.Id id) {
        String name = id.getName();
        String known = KNOWN.get(name);
        if (known != null) {
            return known;
        }
        Matcher axon = AXON.matcher(name);
        if (axon.matches() && AXON_MEASURES.containsKey(axon.group(2))) {
            return "Axon " + axon.group(1) + ": " + AXON_MEASURES.get(axon.group(2));
        }
        Matcher filterChainEvent = FILTER_CHAIN_EVENT.matcher(name);
        if (filterChainEvent.matches()) {
            return "Spring Security filter chain: passes counted " + filterChainEvent.group(2) + " its "
                    + filterChainEvent.group(1).replace('.', ' ') + " filter";
        }
        return "Meter " + name + " (" + id.getType().name().toLowerCase() + "), recorded by a library that gives it"
                + " no description";
    }
}

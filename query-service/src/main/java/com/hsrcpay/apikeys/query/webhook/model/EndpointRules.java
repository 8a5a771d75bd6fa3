package com.hsrcpay.apikeys.query.webhook.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The rules of an endpoint's fields other than its URL ({@link DeliveryTargets}): one place for each. */
public final class EndpointRules {

    public static final int MAX_DESCRIPTION = 500;

    private EndpointRules() {
    }

    /** The event filter: non-empty, known types without repeats, or exactly {@code ["*"]}. */
    public static List<String> events(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw new WebhookRequestRefused("events", "invalid_value",
                    "events must name at least one event type, or be [\"*\"]");
        }
        if (events.contains(WebhookEventType.ALL)) {
            if (events.size() != 1) {
                throw new WebhookRequestRefused("events", "invalid_value", "\"*\" stands alone in events");
            }
            return List.of(WebhookEventType.ALL);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String event : events) {
            if (event == null || WebhookEventType.fromWireName(event).isEmpty()) {
                throw new WebhookRequestRefused("events", "unknown_event_type", "Unknown event type in events: "
                        + (event == null ? "null" : quoted(event)));
            }
            if (!seen.add(event)) {
                throw new WebhookRequestRefused("events", "duplicate_event_type", "events names "
                        + quoted(event) + " twice");
            }
        }
        return new ArrayList<>(seen);
    }

    /** Whether an endpoint with filter {@code events} receives {@code type}. */
    public static boolean subscribes(List<String> events, WebhookEventType type) {
        return events.contains(WebhookEventType.ALL) || events.contains(type.wireName());
    }

    public static String description(String description) {
        if (description == null) {
            return null;
        }
        if (description.isBlank()) {
            throw new WebhookRequestRefused("description", "blank", "description may not be blank (leave it out)");
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw new WebhookRequestRefused("description", "too_long",
                    "description may be at most " + MAX_DESCRIPTION + " characters");
        }
        return description;
    }

    /** At most 40 characters of a refused value go back in a message, never more. */
    private static String quoted(String value) {
        return "\"" + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "\"";
    }
}

package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.event.CreditsAdjusted;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The contract's rules for what a key may hold. Each returns the normalised value or refuses with a 400. */
final class KeyRules {

    static final int NAME_MAX = 100;
    static final int METADATA_MAX_ENTRIES = 50;
    static final int METADATA_KEY_MAX = 40;
    static final int METADATA_VALUE_MAX = 500;
    static final int PERMISSION_RESOURCES_MAX = 50;
    static final int PERMISSION_ACTIONS_MAX = 20;
    static final int PERMISSION_RESOURCE_MAX = 100;
    static final long GRACE_MAX_SECONDS = 86_400;
    /** Four-digit years only: ISO-8601 without expansion, and what every store of the platform can hold. */
    static final Instant EXPIRES_AT_MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static final Pattern RESOURCE = Pattern.compile("^(\\*|[a-z0-9_-]+(:[a-z0-9_-]+)*)$");
    private static final Pattern ACTION = Pattern.compile("^(\\*|[a-z0-9_-]{1,40})$");

    private KeyRules() {
    }

    static String name(String name) {
        if (name == null) {
            throw KeyCommandRejected.invalid("name", "required", "name is required and may not be blank");
        }
        requireStorable("name", name); // before trimming: trim() would silently drop control characters
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            throw KeyCommandRejected.invalid("name", "required", "name is required and may not be blank");
        }
        if (trimmed.length() > NAME_MAX) {
            throw KeyCommandRejected.invalid("name", "too_long", "name may have at most " + NAME_MAX + " characters");
        }
        return trimmed;
    }

    static Permissions permissions(Map<String, List<String>> permissions) {
        if (permissions == null) {
            throw KeyCommandRejected.invalid("permissions", "required", "permissions is required");
        }
        if (permissions.size() > PERMISSION_RESOURCES_MAX) {
            throw KeyCommandRejected.invalid("permissions", "too_many",
                    "permissions may name at most " + PERMISSION_RESOURCES_MAX + " resources");
        }
        Map<String, List<String>> normalised = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : permissions.entrySet()) {
            String resource = entry.getKey();
            if (resource == null || resource.length() > PERMISSION_RESOURCE_MAX || !RESOURCE.matcher(resource).matches()) {
                throw KeyCommandRejected.invalid("permissions", "invalid_resource",
                        "permission resources look like account:api:key (lower case, colon separated) or *");
            }
            List<String> actions = entry.getValue();
            if (actions == null || actions.isEmpty() || actions.size() > PERMISSION_ACTIONS_MAX) {
                throw KeyCommandRejected.invalid("permissions." + resource, "invalid_actions",
                        "each resource needs 1 to " + PERMISSION_ACTIONS_MAX + " actions");
            }
            LinkedHashSet<String> distinct = new LinkedHashSet<>();
            for (String action : actions) {
                if (action == null || !ACTION.matcher(action).matches()) {
                    throw KeyCommandRejected.invalid("permissions." + resource, "invalid_action",
                            "actions are lower-case words such as read, create or *");
                }
                distinct.add(action);
            }
            normalised.put(resource, new ArrayList<>(distinct));
        }
        return Permissions.of(normalised);
    }

    static Map<String, Object> metadata(Map<String, Object> metadata) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > METADATA_MAX_ENTRIES) {
            throw KeyCommandRejected.invalid("metadata", "too_many",
                    "metadata may hold at most " + METADATA_MAX_ENTRIES + " entries");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : metadata.entrySet()) {
            String key = entry.getKey();
            if (key == null || key.isEmpty() || key.length() > METADATA_KEY_MAX) {
                throw KeyCommandRejected.invalid("metadata", "invalid_key",
                        "metadata keys have 1 to " + METADATA_KEY_MAX + " characters");
            }
            requireStorable("metadata", key);
            Object value = entry.getValue();
            boolean scalar = value == null || value instanceof String || value instanceof Number || value instanceof Boolean;
            if (!scalar) {
                throw KeyCommandRejected.invalid("metadata." + key, "not_scalar",
                        "metadata values are strings, numbers, booleans or null");
            }
            if (value instanceof Number number && !representable(number)) {
                throw KeyCommandRejected.invalid("metadata." + key, "number_out_of_range",
                        "metadata numbers must be finite and integers within 64 bits");
            }
            if (value != null && value.toString().length() > METADATA_VALUE_MAX) {
                throw KeyCommandRejected.invalid("metadata." + key, "too_long",
                        "metadata values may have at most " + METADATA_VALUE_MAX + " characters");
            }
            if (value instanceof String text) {
                requireStorable("metadata." + key, text);
            }
            copy.put(key, value);
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * No control character (Unicode Cc: NUL, newlines, escapes for terminals) and no unpaired surrogate: PostgreSQL
     * holds neither NUL nor a lone surrogate (one would poison the projections), and the others end up in log lines,
     * dashboards and CSV exports of merchants.
     */
    /**
     * The contract's {@code ratelimits}: at most {@value RateLimit#MAX_PER_KEY} entries, each with a name of 1 to 40
     * of {@code [a-z0-9_.-]}, unique, a limit of 1 to 1e9 and a window of 1 s to 1 day. Null: none (on create).
     */
    static List<RateLimit> ratelimits(List<RequestedUsage.RateLimit> requested) {
        if (requested == null) {
            return List.of();
        }
        if (requested.size() > RateLimit.MAX_PER_KEY) {
            throw KeyCommandRejected.invalid("ratelimits", "too_many",
                    "A key has at most " + RateLimit.MAX_PER_KEY + " rate limits");
        }
        List<RateLimit> limits = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String field = "ratelimits[" + i + "]";
            RequestedUsage.RateLimit limit = requested.get(i);
            if (limit == null) {
                throw KeyCommandRejected.invalid(field, "required", field + " must be an object");
            }
            if (limit.name() == null || !RateLimit.NAME.matcher(limit.name()).matches()) {
                throw KeyCommandRejected.invalid(field + ".name", limit.name() == null ? "required" : "invalid_value",
                        field + ".name must be 1 to 40 of a-z, 0-9, '_', '.', '-'");
            }
            if (!names.add(limit.name())) {
                throw KeyCommandRejected.invalid(field + ".name", "duplicate",
                        "Rate limit names are unique; '" + limit.name() + "' appears twice");
            }
            long count = within(field + ".limit", limit.limit(), 1, RateLimit.MAX_LIMIT);
            long window = within(field + ".duration_ms", limit.durationMs(), RateLimit.MIN_DURATION_MS,
                    RateLimit.MAX_DURATION_MS);
            limits.add(new RateLimit(limit.name(), count, window));
        }
        return List.copyOf(limits);
    }

    /**
     * The contract's {@code credits}: null (unlimited) or a {@code remaining} of 0 to 1e12 and an optional refill,
     * daily or monthly, of at least 1; {@code refill_day} 1 to 31 and only for monthly refills (default the 1st).
     */
    static Credits credits(RequestedUsage.Credits requested) {
        if (requested == null) {
            return null;
        }
        long remaining = within("credits.remaining", requested.remaining(), 0, Credits.MAX_REMAINING);
        RequestedUsage.Refill refill = requested.refill();
        if (refill == null) {
            return new Credits(remaining, null);
        }
        Credits.Refill.Interval interval;
        if ("daily".equals(refill.interval())) {
            interval = Credits.Refill.Interval.DAILY;
        } else if ("monthly".equals(refill.interval())) {
            interval = Credits.Refill.Interval.MONTHLY;
        } else {
            throw KeyCommandRejected.invalid("credits.refill.interval",
                    refill.interval() == null ? "required" : "invalid_value",
                    "credits.refill.interval must be daily or monthly");
        }
        long amount = within("credits.refill.amount", refill.amount(), 1, Credits.MAX_REMAINING);
        if (refill.refillDay() != null) {
            if (interval == Credits.Refill.Interval.DAILY) {
                throw KeyCommandRejected.invalid("credits.refill.refill_day", "not_allowed",
                        "credits.refill.refill_day is for monthly refills only");
            }
            within("credits.refill.refill_day", refill.refillDay().longValue(), 1, 31);
        }
        return new Credits(remaining, new Credits.Refill(interval, amount, refill.refillDay()));
    }

    /** An amount of the credits endpoint: at least 0 for a set, at least 1 to add or take away, at most 1e12. */
    static long creditAmount(CreditsAdjusted.Operation operation, Long amount) {
        return within("amount", amount, operation == CreditsAdjusted.Operation.SET ? 0 : 1, Credits.MAX_REMAINING);
    }

    private static long within(String field, Long value, long min, long max) {
        if (value == null) {
            throw KeyCommandRejected.invalid(field, "required", field + " is required");
        }
        if (value < min || value > max) {
            throw KeyCommandRejected.invalid(field, "out_of_range", field + " must be between " + min + " and " + max);
        }
        return value;
    }

    private static void requireStorable(String field, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (Character.isISOControl(c) || (Character.isSurrogate(c) && !pairedHigh)) {
                throw KeyCommandRejected.invalid(field, "invalid_character",
                        field + " may not contain control characters or unpaired surrogates");
            }
            if (pairedHigh) {
                i++;
            }
        }
    }

    /** What every reader of the event (Jackson as a double or a long, JavaScript, PostgreSQL) reads back as written. */
    private static boolean representable(Number number) {
        if (number instanceof Double d) {
            return Double.isFinite(d);
        }
        if (number instanceof Float f) {
            return Float.isFinite(f);
        }
        if (number instanceof java.math.BigInteger big) {
            return big.bitLength() < 64;
        }
        if (number instanceof java.math.BigDecimal decimal) {
            return Double.isFinite(decimal.doubleValue());
        }
        return true;
    }

    static Instant expiresAt(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw KeyCommandRejected.invalid("expires_at", "not_in_future", "expires_at must be in the future");
        }
        if (expiresAt != null && expiresAt.isAfter(EXPIRES_AT_MAX)) {
            throw KeyCommandRejected.invalid("expires_at", "out_of_range", "expires_at must be before the year 10000");
        }
        return expiresAt;
    }

    static long gracePeriodSeconds(long seconds) {
        if (seconds < 0 || seconds > GRACE_MAX_SECONDS) {
            throw KeyCommandRejected.invalid("grace_period_seconds", "out_of_range",
                    "grace_period_seconds must be between 0 and " + GRACE_MAX_SECONDS);
        }
        return seconds;
    }
}

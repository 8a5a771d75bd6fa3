package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.query.webhook.model.DeliveryTargets;
import com.hsrcpay.apikeys.query.webhook.model.EndpointRules;
import com.hsrcpay.apikeys.query.webhook.model.WebhookEndpoint;
import com.hsrcpay.apikeys.query.webhook.model.WebhookRequestRefused;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The endpoints of an account and mode (table {@code read_model.webhook_endpoint}). Every read and write is within one
 * account and mode: another's endpoint is as if it did not exist. URLs pass {@link DeliveryTargets} before they are
 * kept, including the addresses their host resolves to now (the sender checks again at every send).
 */
public class WebhookEndpoints {

    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";
    private static final String COLUMNS =
            "id, account_id, mode, url, events, description, status, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final DeliveryTargets targets;
    private final HostResolver resolver;
    private final WebhookSigningSecrets secrets;
    private final Clock clock;
    private final Supplier<UUID> ids;

    public WebhookEndpoints(JdbcTemplate jdbc, DeliveryTargets targets, HostResolver resolver,
                            WebhookSigningSecrets secrets, Clock clock, Supplier<UUID> ids) {
        this.jdbc = jdbc;
        this.targets = targets;
        this.resolver = resolver;
        this.secrets = secrets;
        this.clock = clock;
        this.ids = ids;
    }

    /** A new endpoint and its signing secret (answered once, kept nowhere). */
    public Created create(AccountId account, Mode mode, String url, List<String> events, String description) {
        String checkedUrl = checkedUrl(url);
        List<String> filter = EndpointRules.events(events);
        String checkedDescription = EndpointRules.description(description);
        UUID id = ids.get();
        Instant now = now();
        jdbc.update("INSERT INTO read_model.webhook_endpoint (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setObject(1, id);
                    ps.setString(2, account.value());
                    ps.setString(3, mode.wireName());
                    ps.setString(4, checkedUrl);
                    ps.setArray(5, ps.getConnection().createArrayOf("text", filter.toArray()));
                    ps.setString(6, checkedDescription);
                    ps.setString(7, ENABLED);
                    ps.setTimestamp(8, Timestamp.from(now));
                    ps.setTimestamp(9, Timestamp.from(now));
                });
        WebhookEndpoint endpoint = new WebhookEndpoint(id, account, mode, checkedUrl, filter, checkedDescription,
                true, now, now);
        return new Created(endpoint, secrets.secretOf(id));
    }

    public List<WebhookEndpoint> list(AccountId account, Mode mode, int page, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM read_model.webhook_endpoint WHERE account_id = ? AND mode = ?"
                        + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?", ROW, account.value(), mode.wireName(),
                limit, (long) (page - 1) * limit);
    }

    public long count(AccountId account, Mode mode) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM read_model.webhook_endpoint WHERE account_id = ?"
                + " AND mode = ?", Long.class, account.value(), mode.wireName());
        return count == null ? 0 : count;
    }

    public Optional<WebhookEndpoint> get(AccountId account, Mode mode, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM read_model.webhook_endpoint WHERE id = ? AND account_id = ?"
                + " AND mode = ?", ROW, id, account.value(), mode.wireName()).stream().findFirst();
    }

    /** Changes what {@code change} names (null: unchanged); empty when there is no such endpoint. */
    public Optional<WebhookEndpoint> patch(AccountId account, Mode mode, UUID id, Change change) {
        if (change.url() == null && change.events() == null && change.description() == null
                && change.status() == null) {
            throw new WebhookRequestRefused("body", "nothing_to_change",
                    "Name at least one of url, events, description, status");
        }
        String url = change.url() == null ? null : checkedUrl(change.url());
        List<String> events = change.events() == null ? null : EndpointRules.events(change.events());
        String description = EndpointRules.description(change.description());
        String status = change.status();
        if (status != null && !status.equals(ENABLED) && !status.equals(DISABLED)) {
            throw new WebhookRequestRefused("status", "invalid_value", "status must be enabled or disabled");
        }
        int updated = jdbc.update("""
                UPDATE read_model.webhook_endpoint SET url = coalesce(?, url), events = coalesce(?, events),
                    description = coalesce(?, description), status = coalesce(?, status), updated_at = ?
                WHERE id = ? AND account_id = ? AND mode = ?""", ps -> {
            ps.setString(1, url);
            ps.setArray(2, events == null ? null : ps.getConnection().createArrayOf("text", events.toArray()));
            ps.setString(3, description);
            ps.setString(4, status);
            ps.setTimestamp(5, Timestamp.from(now()));
            ps.setObject(6, id);
            ps.setString(7, account.value());
            ps.setString(8, mode.wireName());
        });
        return updated == 0 ? Optional.empty() : get(account, mode, id);
    }

    /** Deletes the endpoint and its delivery log; false when there was no such endpoint. */
    public boolean delete(AccountId account, Mode mode, UUID id) {
        return jdbc.update("DELETE FROM read_model.webhook_endpoint WHERE id = ? AND account_id = ? AND mode = ?",
                id, account.value(), mode.wireName()) > 0;
    }

    private String checkedUrl(String url) {
        try {
            URI uri = targets.parse(url);
            if (!targets.isAllowedLocal(uri)) {
                List<InetAddress> addresses = resolveNow(uri.getHost());
                if (!addresses.isEmpty()) {
                    targets.requirePublic(uri, addresses);
                }
            }
            return uri.toString();
        } catch (DeliveryTargets.Refused refused) {
            throw new WebhookRequestRefused("url", refused.reason(), refused.getMessage());
        }
    }

    /** The host's addresses today; none for a name that does not resolve yet (the check at send time decides). */
    private List<InetAddress> resolveNow(String host) {
        try {
            return resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    private Instant now() {
        // microseconds: what PostgreSQL keeps, so an answer equals a later read
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static final RowMapper<WebhookEndpoint> ROW = (rs, n) -> {
        Array events = rs.getArray("events");
        return new WebhookEndpoint(rs.getObject("id", UUID.class), new AccountId(rs.getString("account_id")),
                Mode.fromWire(rs.getString("mode")), rs.getString("url"),
                Arrays.asList((String[]) events.getArray()), rs.getString("description"),
                ENABLED.equals(rs.getString("status")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    };

    /** A patch: null fields stay as they are. */
    public record Change(String url, List<String> events, String description, String status) {
    }

    /** The answer to a create: the endpoint and, this once, its secret. */
    public record Created(WebhookEndpoint endpoint, String secret) {
        @Override
        public String toString() {
            return "Created[endpoint=" + endpoint + ", secret=***]";
        }
    }
}

package com.hsrcpay.apikeys.verification.usage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Rate-limit counters: fixed windows aligned to multiples of {@code duration_ms} since the epoch, counted in memory
 * per key (exact on one instance: the key's monitor serialises check and count). Instances share what they admitted
 * through {@code usage_control.rate_window}: every sync each adds its new admissions and reads back the window's
 * total, so it counts the others' admissions against the limit too. Across instances a window can admit more than
 * its limit only by what the others admitted since their last sync, never more than (instances - 1) x limit.
 * <p>
 * Memory: at most {@code maxKeys} keys (least recently used go first; what they admitted is still shared), each with
 * one window per limit (at most 10).
 */
public class RateWindows {

    private static final String SCHEMA = UsageControlSchema.SCHEMA;
    static final int ROWS_PER_STATEMENT = 1_000;
    /** A key verified here within this long keeps learning the others' admissions at every sync. */
    static final long LEARNING_MS = 2_000;

    private final JdbcTemplate jdbc;
    private final Cache<UUID, KeyWindows> keys;
    private final ConcurrentLinkedQueue<Share> orphaned = new ConcurrentLinkedQueue<>();

    public RateWindows(DataSource dataSource, long maxKeys) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.keys = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofMillis(RateLimit.MAX_DURATION_MS))
                .executor(Runnable::run)
                .removalListener((UUID keyId, KeyWindows windows, RemovalCause cause) -> {
                    if (windows != null) {
                        windows.retire(orphaned);
                    }
                })
                .build();
    }

    /** The key's windows, to use under their monitor; a retired one (evicted meanwhile) must be fetched again. */
    KeyWindows of(UUID keyId) {
        return keys.get(keyId, KeyWindows::new);
    }

    /** Keys with counters in memory now. */
    public long keysInMemory() {
        keys.cleanUp();
        return keys.estimatedSize();
    }

    /**
     * Adds this instance's new admissions to the shared windows and learns the others': one statement per
     * {@value #ROWS_PER_STATEMENT} windows, in key order (two instances never deadlock on each other's rows). Windows
     * that ended are deleted an hour later.
     */
    public void sync(long nowMillis) {
        List<Share> shares = new ArrayList<>();
        for (Share share; (share = orphaned.poll()) != null; ) {
            shares.add(share);
        }
        for (KeyWindows windows : keys.asMap().values()) {
            synchronized (windows) {
                if (!windows.retired) {
                    windows.collect(nowMillis, nowMillis - windows.lastUsedMillis <= LEARNING_MS, shares);
                }
            }
        }
        shares.sort(Comparator.comparing(Share::keyId).thenComparing(Share::name).thenComparingLong(Share::windowStart));
        try {
            for (int from = 0; from < shares.size(); from += ROWS_PER_STATEMENT) {
                List<Share> chunk = shares.subList(from, Math.min(shares.size(), from + ROWS_PER_STATEMENT));
                Map<WindowId, Long> totals = exchange(chunk);
                for (Share share : chunk) {
                    Long total = totals.get(new WindowId(share.keyId, share.name, share.windowStart));
                    if (share.window != null && total != null) {
                        synchronized (share.owner) {
                            share.window.learned(share.windowStart, share.delta, total);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            for (Share share : shares) { // shared with the next sync instead
                if (share.window != null) {
                    synchronized (share.owner) {
                        share.window.unshared(share.windowStart, share.delta);
                    }
                } else {
                    orphaned.add(share);
                }
            }
            throw e;
        }
        jdbc.update("DELETE FROM " + SCHEMA + ".rate_window WHERE window_end < ?", nowMillis - 3_600_000L);
    }

    private Map<WindowId, Long> exchange(List<Share> chunk) {
        return jdbc.execute((Connection connection) -> {
            int n = chunk.size();
            UUID[] keyIds = new UUID[n];
            String[] names = new String[n];
            Long[] starts = new Long[n];
            Long[] ends = new Long[n];
            Long[] deltas = new Long[n];
            for (int i = 0; i < n; i++) {
                Share share = chunk.get(i);
                keyIds[i] = share.keyId;
                names[i] = share.name;
                starts[i] = share.windowStart;
                ends[i] = share.windowEnd;
                deltas[i] = share.delta;
            }
            Map<WindowId, Long> totals = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    WITH d AS (SELECT * FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])
                               AS d(key_id, limit_name, window_start, window_end, delta)),
                    added AS (INSERT INTO %1$s.rate_window AS w (key_id, limit_name, window_start, window_end, admitted)
                              SELECT key_id, limit_name, window_start, window_end, delta FROM d WHERE delta > 0
                              ORDER BY key_id, limit_name, window_start
                              ON CONFLICT (key_id, limit_name, window_start)
                              DO UPDATE SET admitted = w.admitted + EXCLUDED.admitted
                              RETURNING w.key_id, w.limit_name, w.window_start, w.admitted)
                    SELECT key_id, limit_name, window_start, admitted FROM added
                    UNION ALL
                    SELECT w.key_id, w.limit_name, w.window_start, w.admitted
                    FROM %1$s.rate_window w JOIN d USING (key_id, limit_name, window_start) WHERE d.delta = 0
                    """.formatted(SCHEMA))) {
                statement.setArray(1, connection.createArrayOf("uuid", keyIds));
                statement.setArray(2, connection.createArrayOf("text", names));
                statement.setArray(3, connection.createArrayOf("bigint", starts));
                statement.setArray(4, connection.createArrayOf("bigint", ends));
                statement.setArray(5, connection.createArrayOf("bigint", deltas));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        totals.put(new WindowId(rows.getObject(1, UUID.class), rows.getString(2), rows.getLong(3)),
                                rows.getLong(4));
                    }
                }
            }
            return totals;
        });
    }

    private record WindowId(UUID keyId, String name, long windowStart) {
    }

    /** What one window admitted here since the last sync ({@code window} null: its key left memory). */
    private record Share(UUID keyId, String name, long windowStart, long windowEnd, long delta, KeyWindows owner,
                         Window window) {
    }

    /** The windows of one key; its monitor serialises a verification's check and count over all of them. */
    static final class KeyWindows {
        private final UUID keyId;
        private final Map<String, Window> byName = new HashMap<>(4);
        long lastUsedMillis;
        boolean retired;

        KeyWindows(UUID keyId) {
            this.keyId = keyId;
        }

        /** The current window of {@code limit} (a new one when the last has ended or the duration changed). */
        Window window(RateLimit limit, long nowMillis) {
            lastUsedMillis = nowMillis;
            Window window = byName.get(limit.name());
            if (window == null || window.durationMs != limit.durationMs()) {
                window = new Window(limit.durationMs());
                byName.put(limit.name(), window);
            }
            window.roll(nowMillis);
            return window;
        }

        void collect(long nowMillis, boolean learning, List<Share> shares) {
            byName.entrySet().removeIf(entry -> entry.getValue().endedLongAgo(nowMillis) && entry.getValue().shared());
            for (Map.Entry<String, Window> entry : byName.entrySet()) {
                Window window = entry.getValue();
                if (window.shared() && (!learning || window.start + window.durationMs <= nowMillis)) {
                    continue; // nothing new, and nothing worth learning (the window is over, or the key idle here)
                }
                long delta = window.count - window.sharedCount;
                window.sharedCount = window.count; // in flight; given back on failure
                shares.add(new Share(keyId, entry.getKey(), window.start, window.start + window.durationMs, delta,
                        this, window));
            }
        }

        void retire(ConcurrentLinkedQueue<Share> orphaned) {
            synchronized (this) {
                retired = true;
                byName.forEach((name, window) -> {
                    long delta = window.count - window.sharedCount;
                    if (delta > 0) {
                        orphaned.add(new Share(keyId, name, window.start, window.start + window.durationMs, delta,
                                null, null));
                    }
                });
            }
        }
    }

    /**
     * One fixed window of one limit: what this instance admitted in it ({@code count}, of which {@code sharedCount}
     * was sent to the database) and what the other instances admitted in it as last learned ({@code others}).
     */
    static final class Window {
        final long durationMs;
        long start = Long.MIN_VALUE;
        long count;
        long sharedCount;
        long others;

        Window(long durationMs) {
            this.durationMs = durationMs;
        }

        void roll(long nowMillis) {
            long current = nowMillis - Math.floorMod(nowMillis, durationMs);
            if (current != start) {
                start = current;
                count = 0;
                sharedCount = 0;
                others = 0;
            }
        }

        long end() {
            return start + durationMs;
        }

        long remaining(long limit) {
            return Math.max(0, limit - count - others);
        }

        boolean shared() {
            return count == sharedCount;
        }

        boolean endedLongAgo(long nowMillis) {
            return start + durationMs + durationMs <= nowMillis;
        }

        void learned(long windowStart, long delta, long total) {
            if (windowStart == start) {
                others = Math.max(others, total - sharedCount);
            }
        }

        void unshared(long windowStart, long delta) {
            if (windowStart == start) {
                sharedCount -= delta;
            }
        }
    }
}

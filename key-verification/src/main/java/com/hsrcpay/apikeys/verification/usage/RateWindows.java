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
 * through {@code usage_control.rate_window}: every sync each adds its new admissions and reads back the others', so
 * it counts them against the limit too, and between syncs admits at most its share of the room (see {@link Window}).
 * Across instances a window can admit more than its limit only by what shares computed on different syncs overlap
 * (measured in RateLimitsAcrossInstancesIT and documented in the README), never more than (instances - 1) x limit.
 * <p>
 * Memory: at most {@code maxKeys} keys (least recently used go first; what they admitted is still shared), each with
 * one window per limit (at most 10).
 */
public class RateWindows {

    private static final String SCHEMA = UsageControlSchema.SCHEMA;
    static final int ROWS_PER_STATEMENT = 1_000;
    /** A key verified here within this long keeps learning the others' admissions at every sync. */
    static final long LEARNING_MS = 2_000;
    /** An instance counts on as many peers as it last saw for a key until it has not seen them for this long. */
    static final long PEERS_FORGOTTEN_MS = 10_000;

    private final JdbcTemplate jdbc;
    private final UUID instanceId;
    private final Cache<UUID, KeyWindows> keys;
    private final ConcurrentLinkedQueue<Share> orphaned = new ConcurrentLinkedQueue<>();

    public RateWindows(DataSource dataSource, UUID instanceId, long maxKeys) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.instanceId = instanceId;
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
        return keys.get(keyId, id -> new KeyWindows(id, orphaned));
    }

    /** The key's windows if it has any in memory (to read under their monitor), else null: creates nothing. */
    KeyWindows ifPresent(UUID keyId) {
        return keys.getIfPresent(keyId);
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
                Map<WindowId, Others> others = exchange(chunk);
                List<Long> claims = new ArrayList<>(chunk.size());
                for (Share share : chunk) {
                    Others seen = others.get(new WindowId(share.keyId, share.name, share.windowStart));
                    long claim = 0;
                    if (share.window != null && seen != null) {
                        synchronized (share.owner) {
                            claim = share.window.learned(share.windowStart, seen.admitted, seen.claimed,
                                    seen.instances, seen.present, nowMillis);
                        }
                    }
                    claims.add(claim);
                }
                claim(chunk, claims);
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

    private Map<WindowId, Others> exchange(List<Share> chunk) {
        return jdbc.execute((Connection connection) -> {
            int n = chunk.size();
            UUID[] keyIds = new UUID[n];
            String[] names = new String[n];
            Long[] starts = new Long[n];
            Long[] ends = new Long[n];
            Long[] deltas = new Long[n];
            Long[] shares = new Long[n];
            for (int i = 0; i < n; i++) {
                Share share = chunk.get(i);
                keyIds[i] = share.keyId;
                names[i] = share.name;
                starts[i] = share.windowStart;
                ends[i] = share.windowEnd;
                deltas[i] = share.delta;
                shares[i] = share.claim;
            }
            Map<WindowId, Others> others = new HashMap<>();
            // the added rows are this instance's own: the query below, which sees the snapshot before them, needs
            // only the others'
            try (PreparedStatement statement = connection.prepareStatement("""
                    WITH d AS (SELECT * FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[],
                                                    ?::bigint[])
                               AS d(key_id, limit_name, window_start, window_end, delta, share)),
                    added AS (INSERT INTO %1$s.rate_window AS w
                                  (key_id, limit_name, window_start, instance_id, window_end, admitted, share)
                              SELECT key_id, limit_name, window_start, ?, window_end, delta, share FROM d
                              ON CONFLICT (key_id, limit_name, window_start, instance_id)
                              DO UPDATE SET admitted = w.admitted + EXCLUDED.admitted, share = EXCLUDED.share
                              RETURNING 1)
                    SELECT d.key_id, d.limit_name, d.window_start,
                           COALESCE(SUM(w.admitted) FILTER (WHERE w.window_start = d.window_start), 0) AS admitted,
                           COALESCE(SUM(w.share) FILTER (WHERE w.window_start = d.window_start), 0) AS claimed,
                           COUNT(DISTINCT w.instance_id) AS instances,
                           COUNT(w.instance_id) FILTER (WHERE w.window_start = d.window_start) AS present
                    FROM d LEFT JOIN %1$s.rate_window w
                         ON w.key_id = d.key_id AND w.limit_name = d.limit_name AND w.instance_id <> ?
                            AND w.window_start IN (d.window_start, 2 * d.window_start - d.window_end)
                    GROUP BY d.key_id, d.limit_name, d.window_start
                    """.formatted(SCHEMA))) {
                statement.setArray(1, connection.createArrayOf("uuid", keyIds));
                statement.setArray(2, connection.createArrayOf("text", names));
                statement.setArray(3, connection.createArrayOf("bigint", starts));
                statement.setArray(4, connection.createArrayOf("bigint", ends));
                statement.setArray(5, connection.createArrayOf("bigint", deltas));
                statement.setArray(6, connection.createArrayOf("bigint", shares));
                statement.setObject(7, instanceId);
                statement.setObject(8, instanceId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        others.put(new WindowId(rows.getObject(1, UUID.class), rows.getString(2), rows.getLong(3)),
                                new Others(rows.getLong(4), rows.getLong(5), rows.getInt(6), rows.getInt(7)));
                    }
                }
            }
            return others;
        });
    }

    /**
     * What the other instances admitted in one window and still claim; how many admitted for the limit in it or in the
     * window before (so one late sync does not make an instance think it is alone), and how many have a row in it.
     */
    private record Others(long admitted, long claimed, int instances, int present) {
    }

    /** Writes the claims computed from what the exchange learned (they count against the others' room at once). */
    private void claim(List<Share> chunk, List<Long> claims) {
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE " + SCHEMA + ".rate_window w"
                    + " SET share = c.share FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::bigint[])"
                    + " AS c(key_id, limit_name, window_start, share) WHERE w.key_id = c.key_id"
                    + " AND w.limit_name = c.limit_name AND w.window_start = c.window_start AND w.instance_id = ?")) {
                statement.setArray(1, connection.createArrayOf("uuid", chunk.stream().map(Share::keyId).toArray()));
                statement.setArray(2, connection.createArrayOf("text", chunk.stream().map(Share::name).toArray()));
                statement.setArray(3, connection.createArrayOf("bigint",
                        chunk.stream().map(Share::windowStart).toArray()));
                statement.setArray(4, connection.createArrayOf("bigint", claims.toArray()));
                statement.setObject(5, instanceId);
                return statement.executeUpdate();
            }
        });
    }

    private record WindowId(UUID keyId, String name, long windowStart) {
    }

    /** What one window admitted here since the last sync ({@code window} null: its key left memory). */
    private record Share(UUID keyId, String name, long windowStart, long windowEnd, long delta, long claim,
                         KeyWindows owner, Window window) {
    }

    /** The windows of one key; its monitor serialises a verification's check and count over all of them. */
    static final class KeyWindows {
        private final UUID keyId;
        private final ConcurrentLinkedQueue<Share> orphaned;
        private final Map<String, Window> byName = new HashMap<>(4);
        long lastUsedMillis;
        boolean retired;

        KeyWindows(UUID keyId, ConcurrentLinkedQueue<Share> orphaned) {
            this.keyId = keyId;
            this.orphaned = orphaned;
        }

        /** The current window of {@code limit} (a new one when the last has ended or the duration changed). */
        Window window(RateLimit limit, long nowMillis) {
            lastUsedMillis = nowMillis;
            Window window = byName.get(limit.name());
            if (window == null || window.durationMs != limit.durationMs()) {
                window = new Window(limit.durationMs());
                byName.put(limit.name(), window);
            }
            long delta = window.count - window.sharedCount;
            long endedStart = window.start;
            if (window.roll(nowMillis) && delta > 0) {
                // what it admitted since its last sync still reaches the others: they count instances by it
                orphaned.add(new Share(keyId, limit.name(), endedStart, endedStart + window.durationMs, delta, 0,
                        null, null));
            }
            window.limitSeen = limit.limit();
            return window;
        }

        /** The window of {@code limit} that is current at {@code nowMillis}, if one is held; changes nothing. */
        Window current(RateLimit limit, long nowMillis) {
            Window window = byName.get(limit.name());
            if (window == null || window.durationMs != limit.durationMs()
                    || window.start != nowMillis - Math.floorMod(nowMillis, window.durationMs)) {
                return null;
            }
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
                        window.claimLeft(), this, window));
            }
        }

        void retire(ConcurrentLinkedQueue<Share> orphaned) {
            synchronized (this) {
                retired = true;
                byName.forEach((name, window) -> {
                    long delta = window.count - window.sharedCount;
                    if (delta > 0) {
                        orphaned.add(new Share(keyId, name, window.start, window.start + window.durationMs, delta,
                                0, null, null));
                    }
                });
            }
        }
    }

    /**
     * One fixed window of one limit: what this instance admitted in it ({@code count}, of which {@code sharedCount}
     * was sent to the database), what the other instances admitted in it as last learned ({@code others}), and how many
     * instances admit for this limit ({@code instances}, from this window and the last).
     * <p>
     * Alone, an instance admits what the limit has room for: exact. With others, between two syncs it admits at most
     * its claim ({@code share}): at each sync, its part (1/instances, rounded up) of the room left once everyone's
     * admissions and the others' claims are counted; an instance known to exist that has not written its row in this
     * window yet is counted as claiming its first part (limit / instances). Before its first sync in a window each
     * instance claims that first part. The claims are written to the database at every sync, so the others count them
     * at their next sync; what remains of over-admission comes from two instances computing their claims from each
     * other's previous claims within the same round trip.
     */
    static final class Window {
        final long durationMs;
        long start = Long.MIN_VALUE;
        long count;
        long sharedCount;
        long others;
        /** Local count when the others were last learned: admissions since then are limited to the claim. */
        long countAtLearn;
        long share = -1; // -1: no sync yet in this window, the first part applies
        int instances = 1;
        int instancesBefore = 1;
        int othersSeen = -1; // the most other instances seen in this window; -1: no sync in it
        long peersSeenAtMillis;

        Window(long durationMs) {
            this.durationMs = durationMs;
        }

        /** Only forward: a verification that read the clock just before another rolled the window counts in the new one. */
        boolean roll(long nowMillis) {
            long current = nowMillis - Math.floorMod(nowMillis, durationMs);
            if (current <= start) {
                return false;
            }
            start = current;
            count = 0;
            sharedCount = 0;
            others = 0;
            countAtLearn = 0;
            share = -1;
            // who admitted in the last two windows likely admits in this one; fewer only after PEERS_FORGOTTEN_MS
            // without seeing as many (a peer whose syncs are late still admits its first part every window)
            if (othersSeen >= 0 && (1 + othersSeen > instancesBefore
                    || nowMillis - peersSeenAtMillis > PEERS_FORGOTTEN_MS)) {
                instancesBefore = 1 + othersSeen;
            }
            instances = instancesBefore;
            othersSeen = -1;
            return true;
        }

        long end() {
            return start + durationMs;
        }

        /** What the limit has room for as this instance knows it (the answer's {@code remaining}). */
        long remaining(long limit) {
            return Math.max(0, limit - count - others);
        }

        /** Whether {@code cost} may be admitted here now: it fits the room, and this instance's claim. */
        boolean admits(long limit, long cost) {
            if (cost == 0) {
                return true;
            }
            if (cost > remaining(limit)) {
                return false;
            }
            if (instances <= 1) {
                return true;
            }
            long claim = share >= 0 ? share : ceilDiv(limit, instances);
            return count - countAtLearn + cost <= claim;
        }

        /** The claim not used yet, as written to the database (before a first sync: what is left of the first part). */
        long claimLeft() {
            if (instances <= 1) {
                return 0;
            }
            long claim = share >= 0 ? share : ceilDiv(limitSeen, instances);
            return Math.max(0, claim - (count - countAtLearn));
        }

        boolean shared() {
            return count == sharedCount;
        }

        boolean endedLongAgo(long nowMillis) {
            return start + durationMs + durationMs <= nowMillis;
        }

        /** Learns the others' admissions and claims; answers this instance's new claim (to write). */
        long learned(long windowStart, long othersAdmitted, long othersClaimed, int otherInstances, int othersPresent,
                     long nowMillis) {
            if (windowStart != start) {
                return 0;
            }
            if (1 + otherInstances >= instancesBefore) {
                peersSeenAtMillis = nowMillis;
            }
            others = Math.max(others, othersAdmitted);
            othersSeen = Math.max(othersSeen, otherInstances);
            instances = Math.max(1 + otherInstances, instancesBefore); // never fewer within a window: late syncs
            countAtLearn = count;
            if (instances <= 1) {
                share = -1;
                return 0;
            }
            long limit = limitSeen;
            // an instance that admitted in the last window but has no row in this one yet may be using its first part
            long unseen = (long) Math.max(0, instances - 1 - othersPresent) * ceilDiv(limit, instances);
            long room = Math.max(0, limit - count - others - othersClaimed - unseen);
            share = ceilDiv(room, instances);
            // the row shows what was admitted up to the collect; what was admitted since is part of the claim
            return share + (count - sharedCount);
        }

        /** The limit as the last verification gave it (a patch may change it between two syncs). */
        long limitSeen;

        void unshared(long windowStart, long delta) {
            if (windowStart == start) {
                sharedCount -= delta;
            }
        }

        private static long ceilDiv(long dividend, long divisor) {
            return -Math.floorDiv(-dividend, divisor);
        }
    }
}

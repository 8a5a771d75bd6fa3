package com.hsrcpay.apikeys.verification.usage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Credits, never overspent across instances and crashes. The authoritative balance is a row in PostgreSQL
 * ({@code usage_control.credit_balance}); an instance takes a lease (a slice of it) atomically and spends it in memory,
 * so a verification touches the database only when its lease runs dry. A lease takes what the verification needs
 * plus about a second of the key's spending here, at most 1/{@code leaseDivisor} of what is available and at most
 * {@code maxLease}: balances smaller than the divisor go exact, one take per verification. A crash loses only the crashed instance's leases, and only until they
 * are dropped ({@code leaseReclaimAfterMs}: what they held stays spent, as the crashed instance may have spent part of
 * it unreported); an instance that could not renew its lease for {@code leaseValidityMs} stops spending it well
 * before that.
 * <p>
 * Every instance reports what it spent and renews its leases every sync ({@code syncIntervalMs}); an instance refused
 * for lack of credits marks the balance as wanted, and the holders give back what they do not spend at their next
 * sync, as they do with a lease idle for {@code leaseIdleMs}.
 */
public class CreditBalances {

    private static final Logger log = LoggerFactory.getLogger(CreditBalances.class);
    private static final String SCHEMA = UsageControlSchema.SCHEMA;
    static final long LEASE_SPAN_MS = 1_000;
    static final long FIRST_EXTRA = 16;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final UUID instanceId;
    private final UsageControlSettings settings;
    private final LongSupplier nanoTime;
    private final Map<UUID, Lease> leases = new ConcurrentHashMap<>();

    public CreditBalances(DataSource dataSource, UUID instanceId, UsageControlSettings settings, LongSupplier nanoTime) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.instanceId = instanceId;
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    /** The outcome of spending: whether it was admitted, and what remains of the key's credits after it. */
    public record Spend(boolean admitted, long remaining) {
    }

    /**
     * Spends {@code cost} credits of the key, or nothing. A key whose balance was never set has none. Throws the
     * database's exception when a lease must be taken and the database is away: never an admission unpaid.
     */
    public Spend spend(UUID keyId, long cost) {
        while (true) {
            Lease lease = leases.computeIfAbsent(keyId, Lease::new);
            synchronized (lease) {
                if (lease.retired) {
                    continue;
                }
                long now = nanoTime.getAsLong();
                lease.lastUsedNanos = now;
                if (cost == 0) {
                    return new Spend(true, known(lease, now));
                }
                boolean valid = lease.generation >= 0 && now - lease.confirmedAtNanos < millisToNanos(settings.leaseValidityMs());
                if (valid && lease.held >= cost) {
                    return spendLocally(lease, cost);
                }
                long need = valid ? cost - lease.held : cost;
                if (need >= lease.refusedNeed
                        && now - lease.refusedAtNanos < millisToNanos(settings.syncIntervalMs())) {
                    // the database just had less than this: refusal storms on a spent key stay in memory
                    return new Spend(false, lease.othersKnown + lease.held);
                }
                take(lease, need, now);
                if (lease.held >= cost) {
                    return spendLocally(lease, cost);
                }
                lease.refusedNeed = need;
                lease.refusedAtNanos = now;
                return new Spend(false, lease.othersKnown + lease.held);
            }
        }
    }

    /** What this instance knows of the key's credits without asking the database when it knows anything. */
    public long estimate(UUID keyId) {
        while (true) {
            Lease lease = leases.computeIfAbsent(keyId, Lease::new);
            synchronized (lease) {
                if (!lease.retired) {
                    long now = nanoTime.getAsLong();
                    lease.lastUsedNanos = now;
                    return known(lease, now);
                }
            }
        }
    }

    /**
     * The key's credits as reads show them: what is available plus what the live leases hold as last reported (at
     * most one sync interval old). Empty for a key whose balance was never set.
     */
    public Optional<Long> remaining(UUID keyId) {
        List<Long> rows = jdbc.queryForList("SELECT b.available + COALESCE((SELECT SUM(l.held) FROM " + SCHEMA
                + ".credit_lease l WHERE l.key_id = b.key_id AND l.generation = b.generation), 0) FROM " + SCHEMA
                + ".credit_balance b WHERE b.key_id = ?", Long.class, keyId);
        return rows.stream().findFirst();
    }

    /** {@link #remaining(UUID)} of several keys in one query: keys whose balance was never set are left out. */
    public Map<UUID, Long> remaining(Collection<UUID> keyIds) {
        if (keyIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Long> remaining = new HashMap<>();
        jdbc.query("SELECT b.key_id, b.available + COALESCE((SELECT SUM(l.held) FROM " + SCHEMA
                        + ".credit_lease l WHERE l.key_id = b.key_id AND l.generation = b.generation), 0) FROM " + SCHEMA
                        + ".credit_balance b WHERE b.key_id = ANY(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", keyIds.toArray(UUID[]::new))),
                row -> {
                    remaining.put(row.getObject(1, UUID.class), row.getLong(2));
                });
        return remaining;
    }

    /**
     * Applies a change of the key's credits from its event with {@code sequenceNumber}, once: a sequence number not
     * above the last one applied changes nothing (answers false). A set or decrement that leaves less than the live
     * leases hold voids them (a new generation): their holders stop spending them at their next sync.
     */
    public boolean apply(UUID keyId, long sequenceNumber, Adjustment adjustment) {
        Boolean applied = transactions.execute(status -> {
            jdbc.update("INSERT INTO " + SCHEMA + ".credit_balance (key_id, available, generation, applied_sequence,"
                    + " updated_at) VALUES (?, 0, 0, -1, now()) ON CONFLICT (key_id) DO NOTHING", keyId);
            Map<String, Object> row = jdbc.queryForMap("SELECT available, generation, applied_sequence FROM " + SCHEMA
                    + ".credit_balance WHERE key_id = ? FOR UPDATE", keyId);
            if (sequenceNumber <= (Long) row.get("applied_sequence")) {
                return false;
            }
            long available = (Long) row.get("available");
            long generation = (Long) row.get("generation");
            long leased = jdbc.queryForObject("SELECT COALESCE(SUM(held), 0) FROM " + SCHEMA
                    + ".credit_lease WHERE key_id = ? AND generation = ?", Long.class, keyId, generation);
            Adjustment.Result next = adjustment.applyTo(available, leased);
            boolean voidLeases = next.voidLeases();
            long nextAvailable = next.available();
            if (voidLeases) {
                jdbc.update("DELETE FROM " + SCHEMA + ".credit_lease WHERE key_id = ?", keyId);
            }
            jdbc.update("UPDATE " + SCHEMA + ".credit_balance SET available = ?, generation = ?, applied_sequence = ?,"
                            + " wanted_at = NULL, wanted_by = NULL, updated_at = now() WHERE key_id = ?",
                    nextAvailable, voidLeases ? generation + 1 : generation, sequenceNumber, keyId);
            return true;
        });
        Lease mine = leases.get(keyId);
        if (mine != null) {
            synchronized (mine) {
                mine.confirmedAtNanos = Long.MIN_VALUE / 2; // the next spend takes (and learns a void at once)
                mine.stale = true;
                mine.estimatedAtNanos = Long.MIN_VALUE / 2;
                mine.refusedAtNanos = Long.MIN_VALUE / 2;
            }
        }
        return Boolean.TRUE.equals(applied);
    }

    /**
     * Reports what was spent, renews the leases, learns which were voided or reclaimed, gives back idle and wanted
     * credits, forgets idle keys and reclaims the leases of crashed instances. Called every sync interval.
     */
    public void sync() {
        long sentAt = nanoTime.getAsLong();
        List<Report> reports = new ArrayList<>();
        for (Lease lease : leases.values()) {
            synchronized (lease) {
                if (!lease.retired && lease.generation >= 0) {
                    reports.add(new Report(lease, lease.generation, lease.unreported));
                    lease.unreported = 0;
                }
            }
        }
        Set<UUID> renewed;
        Map<UUID, Balance> balances;
        try {
            renewed = renew(reports);
            balances = balances(reports);
        } catch (RuntimeException e) {
            for (Report report : reports) {
                synchronized (report.lease) {
                    if (report.lease.generation == report.generation) {
                        report.lease.unreported += report.spent;
                    }
                }
            }
            throw e;
        }
        long idleNanos = millisToNanos(settings.leaseIdleMs());
        for (Report report : reports) {
            Lease lease = report.lease;
            synchronized (lease) {
                if (lease.generation != report.generation) {
                    continue; // a take since the snapshot knows better
                }
                Balance balance = balances.get(lease.keyId);
                if (!renewed.contains(lease.keyId) || balance == null || balance.generation != lease.generation) {
                    lease.held = 0; // voided by a set or decrement, or reclaimed: never spent again
                    lease.unreported = 0;
                    lease.generation = -1;
                } else {
                    lease.confirmedAtNanos = sentAt;
                    lease.othersKnown = balance.available + balance.othersHeld;
                    lease.stale = false;
                    boolean wantedElsewhere = balance.wantedAfterOurTake(lease);
                    if (lease.held > 0 && (wantedElsewhere || sentAt - lease.lastUsedNanos > idleNanos)) {
                        giveBack(lease);
                    }
                }
                if (lease.held == 0 && sentAt - lease.lastUsedNanos > idleNanos) {
                    if (lease.generation >= 0) {
                        giveBack(lease); // deletes the empty row
                    }
                    lease.retired = true;
                    leases.remove(lease.keyId, lease);
                }
            }
        }
        for (Lease lease : leases.values()) { // keys never confirmed (no balance) do not stay either
            synchronized (lease) {
                if (!lease.retired && lease.generation < 0 && sentAt - lease.lastUsedNanos > idleNanos) {
                    lease.retired = true;
                    leases.remove(lease.keyId, lease);
                }
            }
        }
        reclaimAbandoned();
    }

    /** Gives back every lease (graceful stop). */
    public void giveBackAll() {
        for (Lease lease : leases.values()) {
            synchronized (lease) {
                if (!lease.retired && lease.generation >= 0) {
                    try {
                        giveBack(lease);
                    } catch (RuntimeException e) {
                        log.warn("Could not give back the credits leased for a key; they come back when reclaimed: {}",
                                e.toString());
                    }
                }
                lease.retired = true;
                leases.remove(lease.keyId, lease);
            }
        }
    }

    /** Keys this instance holds a lease state for (bounded: idle ones are forgotten). */
    public int leasedKeys() {
        return leases.size();
    }

    /** Credits this instance holds unspent, over all keys. */
    public long held() {
        long sum = 0;
        for (Lease lease : leases.values()) {
            synchronized (lease) {
                sum += lease.held;
            }
        }
        return sum;
    }

    private Spend spendLocally(Lease lease, long cost) {
        lease.held -= cost;
        lease.unreported += cost;
        lease.spentSinceTake += cost;
        return new Spend(true, lease.othersKnown + lease.held);
    }

    /** Takes what the verification needs and a slice more, atomically, under the balance row's lock. */
    private void take(Lease lease, long need, long startedAt) {
        Taken taken = transactions.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT available, generation FROM " + SCHEMA
                    + ".credit_balance WHERE key_id = ? FOR UPDATE", lease.keyId);
            if (rows.isEmpty()) {
                return null;
            }
            long available = (Long) rows.get(0).get("available");
            long generation = (Long) rows.get(0).get("generation");
            long granted = available >= need ? need + leaseExtra(lease, available - need, startedAt) : 0;
            if (granted > 0) {
                jdbc.update("UPDATE " + SCHEMA + ".credit_balance SET available = available - ?, updated_at = now()"
                        + " WHERE key_id = ?", granted, lease.keyId);
            } else {
                jdbc.update("UPDATE " + SCHEMA + ".credit_balance SET wanted_at = clock_timestamp(), wanted_by = ?"
                        + " WHERE key_id = ?", instanceId, lease.keyId);
            }
            jdbc.update("INSERT INTO " + SCHEMA + ".credit_lease (key_id, instance_id, generation, held, renewed_at)"
                    + " VALUES (?, ?, ?, ?, now()) ON CONFLICT (key_id, instance_id) DO UPDATE SET"
                    + " held = CASE WHEN credit_lease.generation = EXCLUDED.generation"
                    + " THEN credit_lease.held + EXCLUDED.held ELSE EXCLUDED.held END,"
                    + " generation = EXCLUDED.generation, renewed_at = now()", lease.keyId, instanceId, generation, granted);
            Map<String, Object> after = jdbc.queryForMap("SELECT clock_timestamp() AS at, COALESCE((SELECT SUM(held)"
                    + " FROM " + SCHEMA + ".credit_lease WHERE key_id = ? AND instance_id <> ? AND generation = ?), 0)"
                    + " AS others", lease.keyId, instanceId, generation);
            return new Taken(granted, available - granted, generation, ((Number) after.get("others")).longValue(),
                    ((java.sql.Timestamp) after.get("at")).toInstant().toEpochMilli());
        });
        if (taken == null) {
            lease.generation = -1;
            lease.held = 0;
            lease.othersKnown = 0;
            return;
        }
        if (taken.generation != lease.generation) {
            lease.held = 0; // an older lease was voided: what it held is gone
            lease.unreported = 0;
        }
        lease.generation = taken.generation;
        lease.held += taken.granted;
        lease.othersKnown = taken.availableAfter + taken.othersHeld;
        lease.confirmedAtNanos = startedAt;
        lease.takenAtMillis = taken.atMillis;
        lease.stale = false;
        if (taken.granted > 0) {
            lease.lastTakeNanos = startedAt;
            lease.spentSinceTake = 0;
        }
    }

    /**
     * Beyond the need: about what this instance spent of the key in the last {@value #LEASE_SPAN_MS} ms at the rate
     * since its last take (at first {@value #FIRST_EXTRA}), never more than {@code maxLease} nor 1/{@code leaseDivisor}
     * of what is available. A hot key's takes are rare; a slow key's leases, and what a crash can lose, small.
     */
    private long leaseExtra(Lease lease, long availableBeyondNeed, long now) {
        long byDemand = FIRST_EXTRA;
        if (lease.lastTakeNanos != Long.MIN_VALUE) {
            long elapsed = Math.max(1, now - lease.lastTakeNanos);
            double perSpan = lease.spentSinceTake * (LEASE_SPAN_MS * 1_000_000.0 / elapsed);
            byDemand = (long) Math.min(Long.MAX_VALUE / 4, Math.ceil(perSpan));
        }
        return Math.min(byDemand, Math.min(settings.maxLease(), availableBeyondNeed / settings.leaseDivisor()));
    }

    /** Deletes this instance's lease row and puts back what it really still holds (its unreported spends are gone). */
    private void giveBack(Lease lease) {
        long held = lease.held;
        long generation = lease.generation;
        transactions.executeWithoutResult(status -> {
            jdbc.queryForList("SELECT 1 FROM " + SCHEMA + ".credit_balance WHERE key_id = ? FOR UPDATE", lease.keyId);
            int deleted = jdbc.update("DELETE FROM " + SCHEMA + ".credit_lease WHERE key_id = ? AND instance_id = ?"
                    + " AND generation = ?", lease.keyId, instanceId, generation);
            if (deleted == 1 && held > 0) {
                jdbc.update("UPDATE " + SCHEMA + ".credit_balance SET available = available + ?, updated_at = now()"
                        + " WHERE key_id = ? AND generation = ?", held, lease.keyId, generation);
            }
        });
        lease.held = 0;
        lease.unreported = 0;
        lease.generation = -1;
    }

    private Set<UUID> renew(List<Report> reports) {
        if (reports.isEmpty()) {
            return Set.of();
        }
        return jdbc.execute((java.sql.Connection connection) -> {
            UUID[] keys = new UUID[reports.size()];
            Long[] spent = new Long[reports.size()];
            Long[] generations = new Long[reports.size()];
            for (int i = 0; i < reports.size(); i++) {
                keys[i] = reports.get(i).lease.keyId;
                spent[i] = reports.get(i).spent;
                generations[i] = reports.get(i).generation;
            }
            Array keyArray = connection.createArrayOf("uuid", keys);
            Array spentArray = connection.createArrayOf("bigint", spent);
            Array generationArray = connection.createArrayOf("bigint", generations);
            Set<UUID> found = new HashSet<>();
            try (var statement = connection.prepareStatement("UPDATE " + SCHEMA + ".credit_lease l"
                    + " SET held = GREATEST(l.held - d.spent, 0), renewed_at = now()"
                    + " FROM unnest(?::uuid[], ?::bigint[], ?::bigint[]) AS d(key_id, spent, generation)"
                    + " WHERE l.key_id = d.key_id AND l.instance_id = ? AND l.generation = d.generation"
                    + " RETURNING l.key_id")) {
                statement.setArray(1, keyArray);
                statement.setArray(2, spentArray);
                statement.setArray(3, generationArray);
                statement.setObject(4, instanceId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getObject(1, UUID.class));
                    }
                }
            }
            return found;
        });
    }

    private Map<UUID, Balance> balances(List<Report> reports) {
        if (reports.isEmpty()) {
            return Map.of();
        }
        return jdbc.execute((java.sql.Connection connection) -> {
            UUID[] keys = reports.stream().map(r -> r.lease.keyId).toArray(UUID[]::new);
            Map<UUID, Balance> found = new HashMap<>();
            try (var statement = connection.prepareStatement("SELECT b.key_id, b.available, b.generation,"
                    + " b.wanted_by, EXTRACT(EPOCH FROM b.wanted_at) * 1000 AS wanted_at_ms,"
                    + " COALESCE((SELECT SUM(l.held) FROM " + SCHEMA + ".credit_lease l WHERE l.key_id = b.key_id"
                    + " AND l.generation = b.generation AND l.instance_id <> ?), 0) AS others"
                    + " FROM " + SCHEMA + ".credit_balance b WHERE b.key_id = ANY (?::uuid[])")) {
                statement.setObject(1, instanceId);
                statement.setArray(2, connection.createArrayOf("uuid", keys));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        double wantedAt = rows.getDouble("wanted_at_ms");
                        boolean wanted = !rows.wasNull();
                        found.put(rows.getObject("key_id", UUID.class), new Balance(rows.getLong("available"),
                                rows.getLong("generation"), rows.getLong("others"),
                                wanted && !instanceId.equals(rows.getObject("wanted_by", UUID.class))
                                        ? (long) wantedAt : Long.MIN_VALUE));
                    }
                }
            }
            return found;
        });
    }

    /**
     * Deletes the leases nobody renewed for the reclaim age (their instance crashed, or stopped spending them long
     * ago). Their credits are not given back: the holder may have spent some without reporting them, so giving them
     * back could overspend. The crash's under-use is what its leases held; deleting them keeps them from counting in
     * reads and in later sets.
     */
    private void reclaimAbandoned() {
        int reclaimed = jdbc.update("DELETE FROM " + SCHEMA + ".credit_lease"
                + " WHERE renewed_at < now() - make_interval(secs => ? / 1000.0)", settings.leaseReclaimAfterMs());
        if (reclaimed > 0) {
            log.info("Dropped {} credit leases that an instance stopped renewing (a crash: their credits stay spent)",
                    reclaimed);
        }
    }

    private static long millisToNanos(long millis) {
        return millis * 1_000_000L;
    }

    /** Without a lease, asks the database at most once a sync interval (refusal storms stay in memory). */
    private long known(Lease lease, long now) {
        if (lease.generation >= 0 && !lease.stale) {
            return lease.othersKnown + lease.held;
        }
        if (now - lease.estimatedAtNanos >= millisToNanos(settings.syncIntervalMs())) {
            lease.estimated = remaining(lease.keyId).orElse(0L);
            lease.estimatedAtNanos = now;
        }
        return lease.estimated;
    }

    /** One key's lease on this instance; its monitor serialises the key's spends, takes and give-backs here. */
    private static final class Lease {
        final UUID keyId;
        long generation = -1; // -1: no valid lease (never taken, voided, given back)
        long held;
        long unreported;
        long othersKnown;
        long confirmedAtNanos = Long.MIN_VALUE / 2;
        long lastUsedNanos;
        long takenAtMillis;
        long lastTakeNanos = Long.MIN_VALUE;
        long refusedNeed = Long.MAX_VALUE;
        long refusedAtNanos = Long.MIN_VALUE / 2;
        long spentSinceTake;
        long estimated;
        long estimatedAtNanos = Long.MIN_VALUE / 2;
        boolean stale; // a balance change since the last contact: othersKnown is not to be trusted
        boolean retired;

        Lease(UUID keyId) {
            this.keyId = keyId;
        }
    }

    private record Report(Lease lease, long generation, long spent) {
    }

    private record Taken(long granted, long availableAfter, long generation, long othersHeld, long atMillis) {
    }

    private record Balance(long available, long generation, long othersHeld, long wantedAtMillis) {

        boolean wantedAfterOurTake(Lease lease) {
            return wantedAtMillis != Long.MIN_VALUE && wantedAtMillis >= lease.takenAtMillis;
        }
    }
}

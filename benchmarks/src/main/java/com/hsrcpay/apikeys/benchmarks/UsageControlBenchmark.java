package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.embedded.DurablePostgres;
import com.hsrcpay.apikeys.revocation.RevocationList;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import com.hsrcpay.apikeys.shared.secret.IssuedSecret;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.verification.DeadSecret;
import com.hsrcpay.apikeys.verification.KeyLookup;
import com.hsrcpay.apikeys.verification.KeyRecord;
import com.hsrcpay.apikeys.verification.KeyVerifier;
import com.hsrcpay.apikeys.verification.usage.Adjustment;
import com.hsrcpay.apikeys.verification.usage.CreditBalances;
import com.hsrcpay.apikeys.verification.usage.RateWindows;
import com.hsrcpay.apikeys.verification.usage.UsageControl;
import com.hsrcpay.apikeys.verification.usage.UsageControlSchema;
import com.hsrcpay.apikeys.verification.usage.UsageControlSettings;
import com.hsrcpay.apikeys.verification.usage.UsageRequest;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Usage control (issue 14), each figure beside a baseline from the same run, on an embedded PostgreSQL of its own:
 * <ol>
 * <li>in process, one thread: a cached {@link KeyVerifier#verify} (the baseline) beside the same verification followed
 * by {@link UsageControl#check} for a key with two rate limits and credits (the lease in memory, its takes amortised),
 * at the default max-lease and at a small one (100: a take every hundred verifications);</li>
 * <li>two engine instances on one database hammering one key's credits from 8 threads each until they run out:
 * overspend (must be 0) and under-use after the run (must be at most the documented lease).</li>
 * </ol>
 * <pre>java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.UsageControlBenchmark</pre>
 */
public final class UsageControlBenchmark {

    private static final List<RateLimit> LIMITS = List.of(new RateLimit("burst", RateLimit.MAX_LIMIT, 1_000),
            new RateLimit("daily", RateLimit.MAX_LIMIT, RateLimit.MAX_DURATION_MS));

    private UsageControlBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("kms-usage-bench");
        try (DurablePostgres postgres = DurablePostgres.start(dir, 0)) {
            UsageControlSchema.migrate(postgres.jdbcUrl(), postgres.username(), postgres.password());
            inProcess(postgres);
            twoInstances(postgres);
        }
    }

    private static void inProcess(DurablePostgres postgres) {
        IssuedSecret secret = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, new SecureRandom());
        KeyRecord record = new KeyRecord(UUID.randomUUID(), "acct_bench", Mode.LIVE, KeyType.SECRET,
                Permissions.of(Map.of("account:api:key", List.of("read"))), KeyStatus.ACTIVE, false, null, null,
                secret.fingerprint().sha256());
        KeyLookup inMemory = new KeyLookup(null) {
            @Override
            public Optional<KeyRecord> bySecret(String sha256) {
                return sha256.equals(record.secretSha256()) ? Optional.of(record) : Optional.empty();
            }

            @Override
            public Optional<DeadSecret> deadSecret(String sha256) {
                return Optional.empty();
            }
        };
        KeyVerifier verifier = new KeyVerifier(inMemory, new RevocationList(), Clock.systemUTC(), 100_000,
                Duration.ofMinutes(5));
        String key = secret.plaintext();
        UsageControlSettings defaults = UsageControlSettings.defaults();
        UsageControlSettings smallLease = new UsageControlSettings(true, defaults.syncIntervalMs(), 100,
                defaults.leaseDivisor(), defaults.leaseValidityMs(), defaults.leaseReclaimAfterMs(),
                defaults.leaseIdleMs(), defaults.maxKeys(), defaults.usageFlushIntervalMs(), defaults.maxUsageBuckets());
        try (HikariDataSource pool = pool(postgres, 4)) {
            UsageControl atDefault = engine(pool, defaults);
            UsageControl atSmall = engine(pool, smallLease);
            UUID keyId = record.keyId();
            UUID otherKeyId = UUID.randomUUID();
            atDefault.credits().apply(keyId, 0, Adjustment.set(1_000_000_000_000L));
            atSmall.credits().apply(otherKeyId, 0, Adjustment.set(1_000_000_000_000L));
            UsageRequest usage = UsageRequest.byDefault(keyId, LIMITS, true, null);
            UsageRequest usageSmall = UsageRequest.byDefault(otherKeyId, LIMITS, true, null);
            double baseline = 0;
            double withDefault = 0;
            double withSmall = 0;
            for (int round = 0; round < 3; round++) { // the first round warms the JIT; the last two count
                double b = opsPerSecond(() -> verifier.verify(key, "account:api:key:read").valid());
                double d = opsPerSecond(() -> verifier.verify(key, "account:api:key:read").valid()
                        && atDefault.check(usage).admitted());
                double l = opsPerSecond(() -> verifier.verify(key, "account:api:key:read").valid()
                        && atSmall.check(usageSmall).admitted());
                if (round > 0) {
                    baseline += b / 2;
                    withDefault += d / 2;
                    withSmall += l / 2;
                }
            }
            atDefault.close();
            atSmall.close();
            System.out.println();
            System.out.println("Usage control in process (cached key, two rate limits and credits, one thread):");
            System.out.printf(Locale.ROOT, "  baseline: KeyVerifier.verify (cache hit)          %,12.0f ops/s  (%.3f µs/op)%n",
                    baseline, 1e6 / baseline);
            System.out.printf(Locale.ROOT, "  + UsageControl.check, lease <= %-5d              %,12.0f ops/s  (%.3f µs/op)"
                    + "  adds %.3f µs%n", defaults.maxLease(), withDefault, 1e6 / withDefault,
                    1e6 / withDefault - 1e6 / baseline);
            System.out.printf(Locale.ROOT, "  + UsageControl.check, lease <= %-5d              %,12.0f ops/s  (%.3f µs/op)"
                    + "  adds %.3f µs%n", smallLease.maxLease(), withSmall, 1e6 / withSmall,
                    1e6 / withSmall - 1e6 / baseline);
        }
    }

    private static void twoInstances(DurablePostgres postgres) throws Exception {
        UsageControlSettings settings = UsageControlSettings.defaults();
        long credits = 200_000;
        try (HikariDataSource firstPool = pool(postgres, 8); HikariDataSource secondPool = pool(postgres, 8)) {
            UsageControl first = engine(firstPool, settings);
            UsageControl second = engine(secondPool, settings);
            first.start();
            second.start();
            UUID key = UUID.randomUUID();
            first.credits().apply(key, 0, Adjustment.set(credits));
            UsageRequest request = UsageRequest.byDefault(key, List.of(), true, null);
            ExecutorService threads = Executors.newFixedThreadPool(16);
            long started = System.nanoTime();
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                UsageControl instance = t % 2 == 0 ? first : second;
                results.add(threads.submit(() -> {
                    long admitted = 0;
                    int refusedInARow = 0;
                    while (refusedInARow < 2_000) { // refused this often in a row: the credits are gone
                        if (instance.check(request).admitted()) {
                            admitted++;
                            refusedInARow = 0;
                        } else {
                            refusedInARow++;
                        }
                    }
                    return admitted;
                }));
            }
            long admitted = 0;
            for (Future<Long> result : results) {
                admitted += result.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            threads.shutdown();
            first.close();
            second.close();
            System.out.println();
            System.out.println("Two instances on one database, 16 threads hammering one key's " + credits + " credits:");
            System.out.printf(Locale.ROOT, "  admitted %d in %.1f s (%,.0f/s); overspend %d; under-use %d (lease at most %d"
                            + " per instance)%n", admitted, seconds, admitted / seconds, Math.max(0, admitted - credits),
                    Math.max(0, credits - admitted), settings.maxLease());
        }
    }

    private static UsageControl engine(HikariDataSource pool, UsageControlSettings settings) {
        UUID instance = UUID.randomUUID();
        return new UsageControl(new RateWindows(pool, instance, settings.maxKeys()),
                new CreditBalances(pool, instance, settings, System::nanoTime), Clock.systemUTC(), settings);
    }

    private static HikariDataSource pool(DurablePostgres postgres, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(postgres.username());
        config.setPassword(postgres.password());
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    private static double opsPerSecond(BooleanSupplier op) {
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long ops = 0;
        long start = System.nanoTime();
        boolean sink = false;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1_000; i++) {
                sink ^= op.getAsBoolean();
            }
            ops += 1_000;
        }
        if (sink && ops < 0) {
            System.out.println("unreachable"); // keeps the results alive for the JIT
        }
        return ops / ((System.nanoTime() - start) / 1e9);
    }
}

package com.hsrcpay.apikeys.verification.usage;

import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one question a verification asks about usage: may this key be used now, at these costs? Rate limits are checked
 * first (RATE_LIMITED wins when both refuse), then credits; a refused verification consumes nothing anywhere, a cost 0
 * is always admitted and consumes nothing. In memory on the fast path: the key's monitor makes check and count one
 * step, and credits come from the instance's lease ({@link CreditBalances}); the counters are shared across instances
 * by {@link #sync()} every sync interval.
 */
public class UsageControl implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UsageControl.class);

    private final RateWindows windows;
    private final CreditBalances credits;
    private final Clock clock;
    private final UsageControlSettings settings;
    private ScheduledExecutorService scheduler;

    public UsageControl(RateWindows windows, CreditBalances credits, Clock clock, UsageControlSettings settings) {
        this.windows = windows;
        this.credits = credits;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * The first name in {@code requested} that is not a limit of the key, or named twice (the caller's 400, before
     * {@link #check}); empty when the request may be checked. Null {@code requested} (the default) is always fine.
     */
    public static Optional<String> unknownLimit(List<RateLimit> keyLimits, List<LimitCost> requested) {
        if (requested == null) {
            return Optional.empty();
        }
        Set<String> known = new HashSet<>();
        keyLimits.forEach(limit -> known.add(limit.name()));
        Set<String> seen = new HashSet<>();
        for (LimitCost cost : requested) {
            if (!known.contains(cost.name()) || !seen.add(cost.name())) {
                return Optional.of(cost.name());
            }
        }
        return Optional.empty();
    }

    /**
     * Decides and, when admitted, consumes. Throws IllegalArgumentException for a request {@link #unknownLimit}
     * refuses, and the database's exception when credits must be leased and the database is away (no admission
     * unpaid): the caller's 503.
     */
    public UsageVerdict check(UsageRequest request) {
        List<Applied> applied = applied(request);
        long creditCost = request.effectiveCreditCost();
        while (true) {
            RateWindows.KeyWindows keyWindows = windows.of(request.keyId());
            synchronized (keyWindows) {
                if (keyWindows.retired) {
                    continue; // left memory while we looked it up
                }
                Instant now = clock.instant(); // under the key's monitor: its windows see time move forward only
                long nowMillis = now.toEpochMilli();
                boolean rateLimited = false;
                List<RateWindows.Window> current = new ArrayList<>(applied.size());
                for (Applied limit : applied) {
                    RateWindows.Window window = keyWindows.window(limit.limit, nowMillis);
                    current.add(window);
                    rateLimited |= !window.admits(limit.limit.limit(), limit.cost);
                }
                if (rateLimited) {
                    return verdict(UsageRefusal.RATE_LIMITED, request.keyHasCredits()
                            ? credits.estimate(request.keyId()) : null, applied, current, now, request, true);
                }
                Long creditsRemaining = null;
                if (request.keyHasCredits()) {
                    CreditBalances.Spend spend = credits.spend(request.keyId(), creditCost);
                    if (!spend.admitted()) {
                        return verdict(UsageRefusal.USAGE_EXCEEDED, spend.remaining(), applied, current, now, request,
                                false);
                    }
                    creditsRemaining = spend.remaining();
                }
                for (int i = 0; i < applied.size(); i++) {
                    current.get(i).count += applied.get(i).cost;
                }
                return verdict(null, creditsRemaining, applied, current, now, request, false);
            }
        }
    }

    /**
     * What the limits and credits are now for {@code request}'s costs, as this instance knows them, consuming nothing
     * and creating no counter: the answer about a key a verification refuses for another reason (revoked, expired,
     * inactive...), which spends nothing. A limit's {@code exceeded} says it has no room for the request's cost now;
     * a key with no window here (not verified on this instance in this window) shows each limit whole. The verdict
     * admits (no refusal): what it refuses is the caller's to say.
     */
    public UsageVerdict peek(UsageRequest request) {
        List<Applied> applied = applied(request);
        Instant now = clock.instant();
        long nowMillis = now.toEpochMilli();
        List<LimitState> states = new ArrayList<>(applied.size());
        RateWindows.KeyWindows keyWindows = windows.ifPresent(request.keyId());
        if (keyWindows == null) {
            applied.forEach(limit -> states.add(whole(limit, nowMillis)));
        } else {
            synchronized (keyWindows) {
                for (Applied limit : applied) {
                    RateWindows.Window window = keyWindows.retired ? null : keyWindows.current(limit.limit, nowMillis);
                    states.add(window == null ? whole(limit, nowMillis) : new LimitState(limit.limit.name(),
                            limit.limit.limit(), window.remaining(limit.limit.limit()), Instant.ofEpochMilli(window.end()),
                            !window.admits(limit.limit.limit(), limit.cost)));
                }
            }
        }
        return new UsageVerdict(null, request.keyHasCredits() ? credits.estimate(request.keyId()) : null, states, now,
                request.nextRefillAt());
    }

    /** A limit nothing was admitted under here in the current window (aligned to its duration since the epoch). */
    private static LimitState whole(Applied limit, long nowMillis) {
        long duration = limit.limit.durationMs();
        long end = nowMillis - Math.floorMod(nowMillis, duration) + duration;
        return new LimitState(limit.limit.name(), limit.limit.limit(), limit.limit.limit(), Instant.ofEpochMilli(end),
                limit.cost > limit.limit.limit());
    }

    /** Balance changes from events, applied once per sequence number (see {@link CreditBalances#apply}). */
    public CreditBalances credits() {
        return credits;
    }

    /** Shares the rate-limit counters and syncs the credit leases; a failure is logged and retried next time. */
    public void sync() {
        try {
            windows.sync(clock.millis());
        } catch (RuntimeException e) {
            log.warn("Could not share the rate-limit counters; retrying with the next sync: {}", e.toString());
        }
        try {
            credits.sync();
        } catch (RuntimeException e) {
            log.warn("Could not renew the credit leases; retrying with the next sync: {}", e.toString());
        }
    }

    /** Syncs every sync interval on a thread of its own until {@link #close()}. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "kms-usage-control-sync");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::sync, settings.syncIntervalMs(), settings.syncIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    public synchronized boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }

    /** Graceful stop: shares the last counters and gives back every credit lease. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sync();
        credits.giveBackAll();
    }

    private UsageVerdict verdict(UsageRefusal refusal, Long creditsRemaining, List<Applied> applied,
                                 List<RateWindows.Window> current, Instant now, UsageRequest request,
                                 boolean markExceeded) {
        List<LimitState> states = new ArrayList<>(applied.size());
        for (int i = 0; i < applied.size(); i++) {
            Applied limit = applied.get(i);
            RateWindows.Window window = current.get(i);
            long remaining = window.remaining(limit.limit.limit());
            states.add(new LimitState(limit.limit.name(), limit.limit.limit(), remaining,
                    Instant.ofEpochMilli(window.end()), markExceeded && !window.admits(limit.limit.limit(), limit.cost)));
        }
        return new UsageVerdict(refusal, creditsRemaining, states, now, request.nextRefillAt());
    }

    private static List<Applied> applied(UsageRequest request) {
        if (request.limitCosts() == null) {
            return request.keyLimits().stream().map(limit -> new Applied(limit, 1)).toList();
        }
        unknownLimit(request.keyLimits(), request.limitCosts()).ifPresent(name -> {
            throw new IllegalArgumentException("not a rate limit of this key, or named twice: " + name);
        });
        Map<String, RateLimit> byName = new HashMap<>();
        request.keyLimits().forEach(limit -> byName.put(limit.name(), limit));
        return request.limitCosts().stream().map(cost -> new Applied(byName.get(cost.name()), cost.cost())).toList();
    }

    private record Applied(RateLimit limit, long cost) {
    }
}

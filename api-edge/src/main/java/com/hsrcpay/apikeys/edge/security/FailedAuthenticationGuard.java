package com.hsrcpay.apikeys.edge.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The brute-force guard: counts refused credentials per source address and, once a source has more than
 * {@code max-failures} of them within {@code window-seconds}, blocks it for {@code block-seconds}. While a
 * source is blocked its failing requests are answered 429 with {@code Retry-After} instead of 401; its
 * requests that authenticate still pass, so other credentials behind the same address are never slowed.
 * <p>
 * The one place for the rule. Only failures touch it ({@link #recordFailure}); a request that authenticates
 * never does. The window slides, estimated as usual from two fixed windows: failures of the previous one count in
 * proportion to how much of it still overlaps the last {@code window-seconds} (as if they were spread evenly), so
 * a burst across a window boundary is caught, with two counters per source instead of a log of timestamps.
 * Failures during a block are not counted and do not extend it; counting starts afresh when it ends.
 * <p>
 * Memory is bounded: at most {@code max-sources} sources are tracked. Entries whose window and block are over
 * are pruned once per window (by whichever failing request comes first, never by a successful one), and
 * again, at most once a second, when the map is full. A new source that finds the map full of live entries is
 * refused as if blocked (429) rather than forgotten or allowed to evict a source that is guessing: the guard fails
 * closed, and only for failed attempts, so credentials that work are never refused by it. IPv6 sources count
 * per /64, the block one subscriber usually holds, so rotating addresses inside it does not escape the guard.
 * <p>
 * Thread-safe without locks held across requests: each source's state is an immutable value replaced
 * atomically in a {@link ConcurrentHashMap}.
 */
public final class FailedAuthenticationGuard {

    private static final Logger LOG = LoggerFactory.getLogger(FailedAuthenticationGuard.class);
    private static final long FULL_PRUNE_INTERVAL_MILLIS = 1_000;

    private final Settings settings;
    private final Clock clock;
    private final long windowMillis;
    private final long blockMillis;
    private final ConcurrentHashMap<String, SourceState> sources = new ConcurrentHashMap<>();
    private final AtomicLong lastPruneAt = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong lastFullWarningAt = new AtomicLong(Long.MIN_VALUE / 2);

    public FailedAuthenticationGuard(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.windowMillis = settings.windowSeconds() * 1000;
        this.blockMillis = settings.blockSeconds() * 1000;
    }

    /** What to answer a request whose authentication failed: 401, or 429 for {@code retryAfterSeconds}. */
    public record Verdict(boolean blocked, long retryAfterSeconds) {

        public static final Verdict NOT_BLOCKED = new Verdict(false, 0);

        static Verdict blockedFor(long retryAfterSeconds) {
            return new Verdict(true, retryAfterSeconds);
        }
    }

    /**
     * Records that a credential presented from {@code remoteAddress} was refused, and says whether the source is
     * (now) blocked. The failure that crosses the threshold is itself answered 429.
     */
    public Verdict recordFailure(String remoteAddress) {
        if (!settings.enabled() || remoteAddress == null || remoteAddress.isEmpty()) {
            return Verdict.NOT_BLOCKED;
        }
        String source = sourceOf(remoteAddress);
        long now = clock.millis();
        pruneIfDue(now, false);

        SourceState known = sources.get(source);
        if (known == null) {
            if (sources.size() >= settings.maxSources()) {
                pruneIfDue(now, true);
                if (sources.size() >= settings.maxSources()) {
                    warnFull(now);
                    return Verdict.blockedFor(settings.windowSeconds());
                }
            }
        } else if (known.blockedAt(now)) {
            return Verdict.blockedFor(secondsLeft(known, now)); // the common case under attack: a read, no write
        }

        boolean[] blockedNow = new boolean[1];
        SourceState next = sources.compute(source, (key, state) -> {
            SourceState after = afterFailure(state == null ? SourceState.EMPTY : state, now);
            blockedNow[0] = after.blockedUntil() > now && (state == null || !state.blockedAt(now));
            return after;
        });
        if (!next.blockedAt(now)) {
            return Verdict.NOT_BLOCKED;
        }
        if (blockedNow[0]) {
            LOG.warn("Blocking {} for {} s: more than {} failed authentications within {} s",
                    source, settings.blockSeconds(), settings.maxFailures(), settings.windowSeconds());
        }
        return Verdict.blockedFor(secondsLeft(next, now));
    }

    /**
     * Whether {@code remoteAddress} is blocked right now: one map read, no write. For a caller that wants to skip
     * expensive work (a storage lookup of a key that is not cached) for a source that is guessing.
     */
    public boolean isBlocked(String remoteAddress) {
        if (!settings.enabled() || remoteAddress == null || remoteAddress.isEmpty()) {
            return false;
        }
        SourceState state = sources.get(sourceOf(remoteAddress));
        return state != null && state.blockedAt(clock.millis());
    }

    /** How many sources are tracked now (for tests and metrics). */
    public int trackedSources() {
        return sources.size();
    }

    private long secondsLeft(SourceState state, long now) {
        long millisLeft = state.blockedUntil() - now;
        return Math.max(1, (millisLeft + 999) / 1000);
    }

    /** Drops entries whose window and block are over: once a window, or at most once a second when full. */
    private void pruneIfDue(long now, boolean full) {
        long last = lastPruneAt.get();
        long due = last + (full ? FULL_PRUNE_INTERVAL_MILLIS : windowMillis);
        if (now >= due && lastPruneAt.compareAndSet(last, now)) {
            // conditional removal: a state replaced concurrently is not removed
            sources.values().removeIf(state -> forgettable(state, now));
        }
    }

    private void warnFull(long now) {
        long last = lastFullWarningAt.get();
        if (now >= last + windowMillis && lastFullWarningAt.compareAndSet(last, now)) {
            LOG.warn("Failed-authentication guard is tracking {} sources (kms.auth.guard.max-sources): new sources "
                    + "are refused (429) until entries expire", sources.size());
        }
    }

    /** The key a source is counted under: the address itself, or its /64 for IPv6. */
    public static String sourceOf(String remoteAddress) {
        if (remoteAddress.indexOf(':') < 0) {
            return remoteAddress; // IPv4 (or a name a test container made up): as it is
        }
        try {
            // a literal with ':' is parsed, never resolved
            InetAddress address = InetAddress.getByName(remoteAddress);
            if (address instanceof Inet6Address) {
                byte[] bytes = address.getAddress();
                StringBuilder prefix = new StringBuilder(24);
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
                }
                return prefix.append(":/64").toString();
            }
            return address.getHostAddress(); // an IPv4-mapped IPv6 address
        } catch (UnknownHostException | SecurityException e) {
            return remoteAddress;
        }
    }

    /**
     * One source: failures in the current and previous fixed window (each {@code window} long, consecutive from
     * {@code windowStart}), and until when it is blocked.
     */
    private record SourceState(long windowStart, int current, int previous, long blockedUntil) {

        static final SourceState EMPTY = new SourceState(Long.MIN_VALUE / 4, 0, 0, Long.MIN_VALUE / 4);

        boolean blockedAt(long now) {
            return now < blockedUntil;
        }
    }

    private SourceState afterFailure(SourceState state, long now) {
        if (state.blockedAt(now)) {
            return state; // not counted, not extended
        }
        long start = state.windowStart();
        int current = state.current();
        int previous = state.previous();
        long elapsedWindows = now < start ? 0 : (now - start) / windowMillis;
        if (elapsedWindows == 1) {
            previous = current;
            current = 0;
            start += windowMillis;
        } else if (elapsedWindows > 1) {
            previous = 0;
            current = 0;
            start = now;
        }
        current++;
        // failures in the last window ~ current + previous * (the part of the previous window still in it)
        long intoWindow = Math.max(0, now - start);
        long weighted = (long) previous * (windowMillis - intoWindow) + (long) current * windowMillis;
        if (weighted > (long) settings.maxFailures() * windowMillis) {
            long until = now + blockMillis;
            return new SourceState(until, 0, 0, until); // counting starts afresh when the block ends
        }
        return new SourceState(start, current, previous, state.blockedUntil());
    }

    /** Neither blocked nor holding a failure that still counts. */
    private boolean forgettable(SourceState state, long now) {
        return !state.blockedAt(now)
                && (state.current() + state.previous() == 0 || now >= state.windowStart() + 2 * windowMillis);
    }

    /**
     * {@code kms.auth.guard.*}: more than {@code max-failures} failed authentications from one source within
     * {@code window-seconds} block it for {@code block-seconds}; at most {@code max-sources} sources are tracked.
     */
    @ConfigurationProperties("kms.auth.guard")
    public record Settings(@DefaultValue("true") boolean enabled,
                           @DefaultValue("20") int maxFailures,
                           @DefaultValue("60") long windowSeconds,
                           @DefaultValue("60") long blockSeconds,
                           @DefaultValue("100000") int maxSources) {

        public Settings {
            require(maxFailures >= 1, "kms.auth.guard.max-failures must be at least 1");
            require(windowSeconds >= 1, "kms.auth.guard.window-seconds must be at least 1");
            require(blockSeconds >= 1, "kms.auth.guard.block-seconds must be at least 1");
            require(maxSources >= 1, "kms.auth.guard.max-sources must be at least 1");
        }

        /** The production defaults: 20 failures in 60 s block for 60 s, 100 000 sources. */
        public static Settings defaults() {
            return new Settings(true, 20, 60, 60, 100_000);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}

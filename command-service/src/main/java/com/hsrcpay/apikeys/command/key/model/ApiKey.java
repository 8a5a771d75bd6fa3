package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.chain.EventChain;
import com.hsrcpay.apikeys.shared.event.CreditsAdjusted;
import com.hsrcpay.apikeys.shared.event.CreditsRefilled;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyActivated;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyDeactivated;
import com.hsrcpay.apikeys.shared.event.KeyDeleted;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.event.KeyExpired;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import com.hsrcpay.apikeys.shared.event.KeyFold;
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyState;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One API key. Decides every rule of the contract in its command handlers and changes state only in its
 * event-sourcing handlers. Time comes from the injected {@link Clock}; secrets arrive as fingerprints.
 *
 * <p>What happens by itself later is a durable deadline (the {@link DeadlineManager} is backed by a database table):
 * {@value #EXPIRY_DEADLINE} at {@code expires_at} expires the key, {@value #GRACE_DEADLINE} at the end of a rotation
 * grace retires the previous secret, {@value #REFILL_DEADLINE} refills the credits. The id of each scheduled deadline travels in the metadata of the event that
 * scheduled it, so a later command (patch, rotate, delete, revoke) can cancel exactly that one. A deadline whose
 * reason is gone (key terminated, expiry moved or cleared, secret already stopped) does nothing when it fires:
 * cancelling is an optimisation, the handlers decide.
 */
@Aggregate
public class ApiKey {

    /** The deadline that expires a key at its {@code expires_at}; payload {@link ExpiryDue}. */
    public static final String EXPIRY_DEADLINE = "key-expiry";
    /** The deadline that retires a previous secret when its rotation grace ends; payload {@link GraceEnds}. */
    public static final String GRACE_DEADLINE = "rotation-grace";
    /** Event metadata: the id of the {@value #EXPIRY_DEADLINE} deadline the event scheduled. */
    public static final String EXPIRY_DEADLINE_ID = "expiryDeadlineId";
    /** Event metadata: the id of the {@value #GRACE_DEADLINE} deadline the event scheduled. */
    public static final String GRACE_DEADLINE_ID = "graceDeadlineId";
    /** The deadline that refills a key's credits ({@code credits.refill}); payload {@link RefillDue}. */
    public static final String REFILL_DEADLINE = "credits-refill";
    /** Event metadata: the id of the {@value #REFILL_DEADLINE} deadline the event scheduled. */
    public static final String REFILL_DEADLINE_ID = "refillDeadlineId";
    static final Actor EXPIRY_ACTOR = Actor.system("expiry");
    static final Actor GRACE_ACTOR = Actor.system("rotation-grace");
    static final Actor REFILL_ACTOR = Actor.system("credits-refill");

    @AggregateIdentifier
    private KeyId keyId;
    /** Everything the events decide about the key, folded by the one fold ({@link KeyFold}). */
    private KeyState state;
    // what only the write side needs: the secrets' history (for revocations), the scheduled deadlines, the chain
    private String currentSecretSha256;
    private String previousSecretSha256;
    private Instant previousSecretValidUntil;
    private List<String> retiredSecretSha256s = new ArrayList<>();
    private String expiryDeadlineId;
    private String graceDeadlineId;
    private String refillDeadlineId;
    /** The chain digest of the latest event (see {@link EventChain}); null before the first. */
    private String chainDigest;

    protected ApiKey() {
        // for Axon: rebuilt from events
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    public KeyState create(CreateKey command, Clock clock, DeadlineManager deadlines) {
        Instant now = clock.instant();
        Objects.requireNonNull(command.secret(), "a secret fingerprint is required");
        KeyCreated created = new KeyCreated(command.keyId(), command.accountId(), command.mode(),
                command.applicationId(),
                KeyRules.name(command.name()),
                command.type() == null ? KeyType.SECRET : command.type(),
                KeyRules.permissions(command.permissions()),
                KeyRules.metadata(command.metadata()),
                KeyRules.expiresAt(command.expiresAt(), now),
                command.managed(), command.secret(), command.actor(), now, command.requestId(),
                KeyRules.ratelimits(command.ratelimits()), KeyRules.credits(command.credits()));
        PermissionGrants.requireGrantable(created.permissions(), command.actorPermissions());
        emit(created, scheduleExpiry(deadlines, created.expiresAt())
                .mergedWith(scheduleRefill(deadlines, created.credits(), now)));
        return state;
    }

    @CommandHandler
    public KeyState adjustCredits(AdjustCredits command, Clock clock) {
        requireOwner(command.accountId(), command.mode());
        requireNotDeleted();
        requireNotRevoked();
        long amount = KeyRules.creditAmount(command.operation(), command.amount());
        if (state.credits() == null && command.operation() != CreditsAdjusted.Operation.SET) {
            throw new KeyCommandRejected(Rejection.CREDITS_UNLIMITED,
                    "The key has unlimited credits: set them before adding or taking away",
                    Map.of("reason", "credits_unlimited"));
        }
        emit(new CreditsAdjusted(keyId, state.accountId(), state.mode(), command.operation(), amount, command.actor(),
                clock.instant(), command.requestId()));
        return state;
    }

    @CommandHandler
    public KeyState rotate(RotateKey command, Clock clock, DeadlineManager deadlines) {
        requireOwner(command.accountId(), command.mode());
        requireNotDeleted();
        requireNotRevoked();
        if (state.status() == KeyStatus.EXPIRED) {
            throw new KeyCommandRejected(Rejection.KEY_EXPIRED, "An expired key cannot be regenerated",
                    Map.of("reason", "key_expired"));
        }
        if (!state.managed()) {
            throw new KeyCommandRejected(Rejection.KEY_NOT_MANAGED,
                    "Only managed keys can be regenerated; custom keys are replaced by create and delete",
                    Map.of("reason", "key_not_managed"));
        }
        long grace = KeyRules.gracePeriodSeconds(command.gracePeriodSeconds());
        // whoever regenerates receives a working secret of this key: they must hold what it holds
        PermissionGrants.requireGrantable(state.permissions(), command.actorPermissions());
        Instant now = clock.instant();
        List<String> stopping = new ArrayList<>();
        if (previousSecretUnretired()) {
            // a second rotation ends the first one's grace at once (or records the end of a grace whose deadline
            // has not fired yet)
            stopping.add(previousSecretSha256);
        }
        if (grace == 0) {
            stopping.add(currentSecretSha256);
        }
        List<String> retired = new ArrayList<>(retiredSecretSha256s);
        retired.addAll(stopping);
        cancel(deadlines, GRACE_DEADLINE, graceDeadlineId);
        Instant validUntil = now.plusSeconds(grace);
        MetaData metaData = grace == 0 ? MetaData.emptyInstance()
                : MetaData.with(GRACE_DEADLINE_ID,
                        deadlines.schedule(validUntil, GRACE_DEADLINE, new GraceEnds(currentSecretSha256)));
        emit(new SecretRotated(keyId, state.accountId(), state.mode(), state.applicationId(), command.newSecret(),
                currentSecretSha256, validUntil,
                List.copyOf(stopping), List.copyOf(retired), command.actor(), now, command.requestId()), metaData);
        return state;
    }

    @CommandHandler
    public KeyState patch(PatchKey command, Clock clock, DeadlineManager deadlines) {
        requireOwner(command.accountId(), command.mode());
        requireNotDeleted();
        requireNotRevoked();
        if (command.expectedVersion() != null && command.expectedVersion() != state.version()) {
            throw new KeyCommandRejected(Rejection.VERSION_MISMATCH,
                    "The key changed since version " + command.expectedVersion() + "; it is now at " + state.version(),
                    Map.of("reason", "version_mismatch", "current_version", state.version()));
        }
        if (command.changesNothing()) {
            throw new KeyCommandRejected(Rejection.NOTHING_TO_CHANGE,
                    "Name at least one of name, permissions, expires_at, status, metadata, ratelimits, credits",
                    Map.of("reason", "nothing_to_change"));
        }
        Instant now = clock.instant();
        KeyStatus newStatus = command.status() == null ? state.status() : parseStatus(command.status().value());
        Permissions newPermissions = command.permissions() == null ? null
                : KeyRules.permissions(command.permissions().value());
        KeyChanges changes = new KeyChanges(
                command.name() == null ? null : change(state.name(), KeyRules.name(command.name().value())),
                newPermissions == null ? null : change(state.permissions(), newPermissions),
                command.expiresAt() == null ? null
                        : change(state.expiresAt(), KeyRules.expiresAt(command.expiresAt().value(), now)),
                command.metadata() == null ? null
                        : change(state.metadata(), KeyRules.metadata(command.metadata().value())),
                command.ratelimits() == null ? null
                        : change(state.ratelimits(), KeyRules.ratelimits(command.ratelimits().value())),
                command.credits() == null ? null
                        : change(state.credits(), KeyRules.credits(command.credits().value())));
        if (newPermissions != null) {
            // the whole new map, changed or not: after the patch the caller is the one granting it
            PermissionGrants.requireGrantable(newPermissions, command.actorPermissions());
        }
        if (newStatus != state.status() && state.status() == KeyStatus.EXPIRED) {
            throw new KeyCommandRejected(Rejection.KEY_EXPIRED, "The status of an expired key cannot change",
                    Map.of("reason", "key_expired", "field", "status"));
        }
        if (!changes.isEmpty()) {
            MetaData metaData = MetaData.emptyInstance();
            if (changes.expiresAt() != null) {
                // the expiry moved or was cleared: the old deadline goes, the new expiry (if any) gets one
                cancel(deadlines, EXPIRY_DEADLINE, expiryDeadlineId);
                if (state.status() != KeyStatus.EXPIRED) {
                    metaData = scheduleExpiry(deadlines, changes.expiresAt().after());
                }
            }
            if (changes.credits() != null) {
                // other credits: the old refill deadline goes, the new refill (if any) gets one
                cancel(deadlines, REFILL_DEADLINE, refillDeadlineId);
                metaData = metaData.mergedWith(scheduleRefill(deadlines, changes.credits().after(), now));
            }
            emit(new KeyUpdated(keyId, state.accountId(), state.mode(), changes, command.actor(), now,
                    command.requestId()), metaData);
        }
        if (newStatus == KeyStatus.INACTIVE && state.status() == KeyStatus.ACTIVE) {
            emit(new KeyDeactivated(keyId, state.accountId(), state.mode(), command.actor(), now, command.requestId()));
        } else if (newStatus == KeyStatus.ACTIVE && state.status() == KeyStatus.INACTIVE) {
            emit(new KeyActivated(keyId, state.accountId(), state.mode(), command.actor(), now, command.requestId()));
        }
        return state;
    }

    @CommandHandler
    public KeyState softDelete(SoftDeleteKey command, Clock clock, DeadlineManager deadlines) {
        requireOwner(command.accountId(), command.mode());
        if (state.deleted()) {
            throw notFound(); // deleting again: as if the key did not exist
        }
        Instant now = clock.instant();
        cancelAllDeadlines(deadlines);
        emit(new KeyDeleted(keyId, state.accountId(), state.mode(), state.applicationId(), allSecretHashes(),
                command.actor(), now, command.requestId()));
        return state;
    }

    @CommandHandler
    public KeyState revoke(RevokeKey command, Clock clock, DeadlineManager deadlines) {
        requireOwner(command.accountId(), command.mode());
        if (state.deleted() || !command.applicationId().equals(state.applicationId())) {
            throw notFound();
        }
        requireNotRevoked();
        Instant now = clock.instant();
        cancelAllDeadlines(deadlines);
        emit(new KeyRevoked(keyId, state.accountId(), state.mode(), state.applicationId(), allSecretHashes(),
                command.actor(), now, command.requestId()));
        return state;
    }

    /**
     * A secret of the key was reported in public. Its current secret: the key is revoked at once ({@link KeyExposed}),
     * whatever its status or mode. The previous secret, not yet retired (in its rotation grace): that secret stops now
     * ({@link SecretRetired}, reason EXPOSED) and the key keeps its current one. Nothing for a key already terminated
     * or past its {@code expires_at}, or a secret already stopped (a repeated report writes nothing), nor for a
     * publishable key, public by design.
     */
    @CommandHandler
    public KeyState reportExposure(ReportExposure command, Clock clock, DeadlineManager deadlines) {
        String hash = command.secretSha256();
        Instant now = clock.instant();
        boolean expiredAlready = state.expiresAt() != null && !state.expiresAt().isAfter(now);
        if (terminated() || state.type() == KeyType.PUBLISHABLE || expiredAlready) {
            return state; // an expired key works no more: its expiry deadline records that
        }
        if (hash.equals(currentSecretSha256)) {
            cancelAllDeadlines(deadlines);
            emit(new KeyExposed(keyId, state.accountId(), state.mode(), state.applicationId(), allSecretHashes(),
                    command.source(), command.url(), command.actor(), now, command.requestId()));
        } else if (hash.equals(previousSecretSha256) && previousSecretUnretired()) {
            cancel(deadlines, GRACE_DEADLINE, graceDeadlineId);
            List<String> retired = new ArrayList<>(retiredSecretSha256s);
            retired.add(hash);
            emit(new SecretRetired(keyId, state.accountId(), state.mode(), state.applicationId(), hash,
                    List.copyOf(retired), command.actor(), now, command.requestId(), SecretRetired.Reason.EXPOSED));
        }
        return state;
    }

    /**
     * The key's {@code expires_at} passed: every secret stops. Does nothing for a key that is already terminated or
     * no longer expires, nor for a stale deadline (the expiry moved later: the deadline scheduled for the new value
     * expires it). A deadline for the current expiry is trusted even if this node's clock lags the scheduler's.
     */
    @DeadlineHandler(deadlineName = EXPIRY_DEADLINE)
    void expire(ExpiryDue due, Clock clock, DeadlineManager deadlines, @MessageIdentifier String deadlineMessageId) {
        if (terminated() || state.expiresAt() == null) {
            return;
        }
        Instant now = clock.instant();
        if (state.expiresAt().isAfter(now) && !state.expiresAt().equals(due.expiresAt())) {
            return;
        }
        cancel(deadlines, GRACE_DEADLINE, graceDeadlineId);
        cancel(deadlines, REFILL_DEADLINE, refillDeadlineId);
        emit(new KeyExpired(keyId, state.accountId(), state.mode(), state.applicationId(), allSecretHashes(),
                EXPIRY_ACTOR,
                latest(now, state.expiresAt()), "deadline:" + deadlineMessageId));
    }

    /**
     * The rotation grace of the previous secret ended: it stops now. Does nothing when the key is terminated (all
     * its secrets stopped already) or the secret was stopped otherwise (a later rotation ended its grace early).
     */
    @DeadlineHandler(deadlineName = GRACE_DEADLINE)
    void endGrace(GraceEnds due, Clock clock, @MessageIdentifier String deadlineMessageId) {
        String hash = due.secretSha256();
        if (terminated() || !hash.equals(previousSecretSha256) || retiredSecretSha256s.contains(hash)) {
            return;
        }
        List<String> retired = new ArrayList<>(retiredSecretSha256s);
        retired.add(hash);
        emit(new SecretRetired(keyId, state.accountId(), state.mode(), state.applicationId(), hash,
                List.copyOf(retired), GRACE_ACTOR,
                latest(clock.instant(), previousSecretValidUntil), "deadline:" + deadlineMessageId));
    }

    /**
     * A refill of the key's credits came due: the remaining credits become the refill's amount, and the next refill
     * is scheduled (the first one after now: refills missed while the service was down are one refill, not many).
     * Does nothing for a terminated key or a stale deadline (the credits or their refill changed since).
     */
    @DeadlineHandler(deadlineName = REFILL_DEADLINE)
    void refill(RefillDue due, Clock clock, DeadlineManager deadlines, @MessageIdentifier String deadlineMessageId) {
        Credits.Refill refill = state.credits() == null ? null : state.credits().refill();
        if (terminated() || refill == null || !refill.equals(due.refill())) {
            return;
        }
        Instant at = latest(clock.instant(), due.at());
        emit(new CreditsRefilled(keyId, state.accountId(), state.mode(), refill.amount(), due.at(), REFILL_ACTOR, at,
                "deadline:" + deadlineMessageId), scheduleRefill(deadlines, state.credits(), at));
    }

    /**
     * The one sourcing handler: every event through the one fold, then the write side's own facts through an
     * exhaustive visitor, so a new event type cannot be silently skipped here.
     */
    @EventSourcingHandler
    void on(KeyEvent event, @MetaDataValue(EXPIRY_DEADLINE_ID) String expiryDeadline,
            @MetaDataValue(GRACE_DEADLINE_ID) String graceDeadline,
            @MetaDataValue(REFILL_DEADLINE_ID) String refillDeadline,
            @MetaDataValue(EventChain.METADATA_KEY) String digest) {
        state = KeyFold.evolve(state, event);
        keyId = state.keyId();
        event.accept(new WriteSideFacts(expiryDeadline, graceDeadline, refillDeadline));
        chainDigest = digest;
    }

    /** The facts of an event that only the write side keeps. */
    private final class WriteSideFacts implements KeyEvent.Visitor<Void> {

        private final String expiryDeadline;
        private final String graceDeadline;
        private final String refillDeadline;

        WriteSideFacts(String expiryDeadline, String graceDeadline, String refillDeadline) {
            this.expiryDeadline = expiryDeadline;
            this.graceDeadline = graceDeadline;
            this.refillDeadline = refillDeadline;
        }

        @Override
        public Void created(KeyCreated event) {
            currentSecretSha256 = event.secret().sha256();
            expiryDeadlineId = expiryDeadline;
            refillDeadlineId = refillDeadline;
            return null;
        }

        @Override
        public Void secretRotated(SecretRotated event) {
            retiredSecretSha256s = new ArrayList<>(event.retiredSecretSha256s());
            previousSecretSha256 = event.previousSecretSha256();
            previousSecretValidUntil = event.previousSecretValidUntil();
            currentSecretSha256 = event.newSecret().sha256();
            graceDeadlineId = graceDeadline;
            return null;
        }

        @Override
        public Void secretRetired(SecretRetired event) {
            retiredSecretSha256s = new ArrayList<>(event.retiredSecretSha256s());
            graceDeadlineId = null;
            return null;
        }

        @Override
        public Void updated(KeyUpdated event) {
            if (event.changes().expiresAt() != null) {
                expiryDeadlineId = expiryDeadline;
            }
            if (event.changes().credits() != null) {
                refillDeadlineId = refillDeadline;
            }
            return null;
        }

        @Override
        public Void deactivated(KeyDeactivated event) {
            return null;
        }

        @Override
        public Void activated(KeyActivated event) {
            return null;
        }

        @Override
        public Void revoked(KeyRevoked event) {
            return noDeadlinesLeft();
        }

        @Override
        public Void deleted(KeyDeleted event) {
            return noDeadlinesLeft();
        }

        @Override
        public Void expired(KeyExpired event) {
            return noDeadlinesLeft();
        }

        @Override
        public Void exposed(KeyExposed event) {
            return noDeadlinesLeft();
        }

        @Override
        public Void creditsAdjusted(CreditsAdjusted event) {
            return null;
        }

        @Override
        public Void creditsRefilled(CreditsRefilled event) {
            refillDeadlineId = refillDeadline;
            return null;
        }

        private Void noDeadlinesLeft() {
            expiryDeadlineId = null;
            graceDeadlineId = null;
            refillDeadlineId = null;
            return null;
        }
    }

    /**
     * Applies {@code event} with {@code metaData} plus its {@link EventChain} digest: the hash over the previous
     * event's digest and this event, stored with the event so later tampering with the row is detectable. The
     * event's sequence number is the count of events before it (the state's version).
     */
    private void emit(KeyEvent event, MetaData metaData) {
        long sequence = state == null ? 0 : state.version();
        apply(event, metaData.and(EventChain.METADATA_KEY, EventChain.digest(chainDigest, sequence, event)));
    }

    private void emit(KeyEvent event) {
        emit(event, MetaData.emptyInstance());
    }

    /** The key as its events made it: what every command answers. */
    public KeyState state() {
        return state;
    }

    /**
     * Every secret the key ever had, the current one last: all stop when the key is revoked, deleted or expires.
     * A previous secret not yet retired is named too, whether still in its grace or past it with its
     * {@value #GRACE_DEADLINE} deadline not fired yet.
     */
    private List<String> allSecretHashes() {
        List<String> hashes = new ArrayList<>(retiredSecretSha256s);
        if (previousSecretUnretired()) {
            hashes.add(previousSecretSha256);
        }
        hashes.add(currentSecretSha256);
        return List.copyOf(hashes);
    }

    private boolean previousSecretUnretired() {
        return previousSecretSha256 != null && !retiredSecretSha256s.contains(previousSecretSha256);
    }

    private boolean terminated() {
        return state.terminated();
    }

    /** Schedules the expiry deadline; the metadata that names it for the event that sets the expiry. */
    private static MetaData scheduleExpiry(DeadlineManager deadlines, Instant expiresAt) {
        if (expiresAt == null) {
            return MetaData.emptyInstance();
        }
        return MetaData.with(EXPIRY_DEADLINE_ID,
                deadlines.schedule(expiresAt, EXPIRY_DEADLINE, new ExpiryDue(expiresAt)));
    }

    /** Schedules the next refill of {@code credits} after {@code now}, if they refill; the metadata that names it. */
    private static MetaData scheduleRefill(DeadlineManager deadlines, Credits credits, Instant now) {
        if (credits == null || credits.refill() == null) {
            return MetaData.emptyInstance();
        }
        Instant at = credits.refill().nextAfter(now);
        return MetaData.with(REFILL_DEADLINE_ID,
                deadlines.schedule(at, REFILL_DEADLINE, new RefillDue(at, credits.refill())));
    }

    private void cancelAllDeadlines(DeadlineManager deadlines) {
        cancel(deadlines, EXPIRY_DEADLINE, expiryDeadlineId);
        cancel(deadlines, GRACE_DEADLINE, graceDeadlineId);
        cancel(deadlines, REFILL_DEADLINE, refillDeadlineId);
    }

    private static void cancel(DeadlineManager deadlines, String deadlineName, String scheduleId) {
        if (scheduleId != null) {
            deadlines.cancelSchedule(deadlineName, scheduleId);
        }
    }

    /** The later of the two: an event caused by a deadline never predates the instant it stands for. */
    private static Instant latest(Instant now, Instant due) {
        return due != null && due.isAfter(now) ? due : now;
    }

    private void requireOwner(AccountId account, Mode requestedMode) {
        // another account's or the other mode's key is indistinguishable from a missing one
        if (!state.accountId().equals(account) || state.mode() != requestedMode) {
            throw notFound();
        }
    }

    private void requireNotDeleted() {
        if (state.deleted()) {
            throw new KeyCommandRejected(Rejection.KEY_DELETED, "The key is deleted and can no longer change",
                    Map.of("reason", "key_deleted"));
        }
    }

    private void requireNotRevoked() {
        if (state.status() == KeyStatus.REVOKED) {
            throw new KeyCommandRejected(Rejection.KEY_REVOKED, "The key is revoked and can no longer change",
                    Map.of("reason", "key_revoked"));
        }
    }

    private static KeyCommandRejected notFound() {
        return new KeyCommandRejected(Rejection.KEY_NOT_FOUND, "No such API key", Map.of("reason", "not_found"));
    }

    private static KeyStatus parseStatus(String value) {
        KeyStatus parsed = null;
        if (value != null) {
            try {
                parsed = KeyStatus.valueOf(value.toUpperCase(Locale.ROOT).equals(value) ? value : "?");
            } catch (IllegalArgumentException e) {
                parsed = null;
            }
        }
        if (parsed == null || !parsed.settableByClient()) {
            throw KeyCommandRejected.invalid("status", "invalid_status",
                    "status may only be set to ACTIVE or INACTIVE");
        }
        return parsed;
    }

    private static <T> FieldChange<T> change(T before, T after) {
        return Objects.equals(before, after) ? null : new FieldChange<>(before, after);
    }
}

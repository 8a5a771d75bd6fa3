package com.hsrcpay.apikeys.command.key.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.hsrcpay.apikeys.command.key.model.AdjustCredits;
import com.hsrcpay.apikeys.command.key.model.ApiKey;
import com.hsrcpay.apikeys.command.key.model.CreateKey;
import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.PatchKey;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.command.key.model.ReportExposure;
import com.hsrcpay.apikeys.command.key.model.RevokeKey;
import com.hsrcpay.apikeys.command.key.model.RotateKey;
import com.hsrcpay.apikeys.command.key.model.SoftDeleteKey;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.shared.event.CreditsAdjusted;
import com.hsrcpay.apikeys.shared.event.KeyState;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.secret.IssuedSecret;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.Repository;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The write use cases: issues secrets, turns requests into commands, and translates what the command side
 * answers (not found, write conflicts, idempotent replays) into domain rejections the edge maps to HTTP.
 */
public class KeyWrites {

    public static final String COMMAND_TIMER = "kms.commands";

    private static final ObjectMapper CANONICAL_JSON = EventJson.newObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final CommandGateway commands;
    private final Repository<ApiKey> keys;
    private final SecretIssuer secrets;
    private final IdempotentRequests idempotentRequests;
    private final IdempotentCreates idempotentCreates;
    private final KeyTurns keyTurns;
    private final MeterRegistry meters;

    public KeyWrites(CommandGateway commands, Repository<ApiKey> keys, SecretIssuer secrets,
                     IdempotentRequests idempotentRequests, IdempotentCreates idempotentCreates, KeyTurns keyTurns,
                     MeterRegistry meters) {
        this.commands = commands;
        this.keys = keys;
        this.secrets = secrets;
        this.idempotentRequests = idempotentRequests;
        this.idempotentCreates = idempotentCreates;
        this.keyTurns = keyTurns;
        this.meters = meters;
    }

    /** Timed as {@value #COMMAND_TIMER} with {@code command="CreateKey"} once per request, replays included. */
    public IssuedKey create(Caller caller, NewKey request, String idempotencyKey, String requestId) {
        return timed(CreateKey.class.getSimpleName(), () -> {
            if (idempotencyKey == null) {
                return issue(caller, request, KeyId.newId(), requestId);
            }
            String requestSha256 = fingerprint(request);
            return idempotentCreates.once(
                    new IdempotentCreates.Request(caller.accountId(), caller.mode(), idempotencyKey), requestSha256,
                    () -> createOnce(caller, request, idempotencyKey, requestSha256, requestId));
        }, issued -> issued.replayed() ? "replayed" : "success");
    }

    /**
     * The first of concurrent retries in this JVM: claims the key id (or finds the claim of an earlier request, here or
     * on another instance, also before a crash). A key created under an earlier claim is answered as it is, replayed,
     * without sending the create again (which the event store would refuse, an ERROR in PostgreSQL's log for an
     * ordinary retry). Otherwise the create is sent for the claimed id: after a crash between claim and create it
     * simply creates it, and of two instances creating it at the same moment the event store's unique constraint
     * lets one win and the other answers with that key, replayed.
     */
    private IssuedKey createOnce(Caller caller, NewKey request, String idempotencyKey, String requestSha256,
                                 String requestId) {
        KeyId proposed = KeyId.newId();
        IdempotentRequests.Claim claim = idempotentRequests.claim(caller.accountId(), caller.mode(), idempotencyKey,
                requestSha256, proposed);
        if (!claim.requestSha256().equals(requestSha256)) {
            throw IdempotentRequests.reused();
        }
        if (!claim.keyId().equals(proposed)) {
            Optional<KeyState> created = find(claim.keyId());
            if (created.isPresent()) {
                return new IssuedKey(created.get(), null, true); // without its secret: it went to the first request
            }
        }
        try {
            return issue(caller, request, claim.keyId(), requestId);
        } catch (AggregateStreamCreationException | ConcurrencyException alreadyCreated) {
            // a concurrent request with this key (another instance) created it: answer with that key
            return new IssuedKey(load(claim.keyId()), null, true);
        }
    }

    public IssuedKey regenerate(Caller caller, KeyId keyId, long gracePeriodSeconds, String requestId) {
        idempotentCreates.forget(keyId);
        return keyTurns.inTurn(keyId, () -> {
            // the new secret has the type and mode of the key: read them from its current state
            KeyState current = ownedBy(caller, load(keyId));
            IssuedSecret secret = secrets.issue(current.type(), current.mode());
            KeyState rotated = dispatchTimed(new RotateKey(keyId, caller.accountId(), caller.mode(),
                    secret.fingerprint(), gracePeriodSeconds, caller.actor(), caller.permissions(), requestId));
            return new IssuedKey(rotated, secret.plaintext(), false);
        });
    }

    public KeyState patch(PatchKey command) {
        return send(command.keyId(), command);
    }

    public KeyState softDelete(Caller caller, KeyId keyId, String requestId) {
        return send(keyId, new SoftDeleteKey(keyId, caller.accountId(), caller.mode(), caller.actor(), requestId));
    }

    public KeyState adjustCredits(Caller caller, KeyId keyId, CreditsAdjusted.Operation operation, Long amount,
                                  String requestId) {
        return send(keyId, new AdjustCredits(keyId, caller.accountId(), caller.mode(), operation, amount,
                caller.actor(), requestId));
    }

    public KeyState revokeForApplication(Caller caller, ApplicationId applicationId, KeyId keyId, String requestId) {
        return send(keyId,
                new RevokeKey(keyId, applicationId, caller.accountId(), caller.mode(), caller.actor(), requestId));
    }

    /** A secret of the key reported in public: the key decides what stops (see {@code ApiKey.reportExposure}). */
    public KeyState reportExposure(ReportExposure command) {
        return send(command.keyId(), command);
    }

    private IssuedKey issue(Caller caller, NewKey request, KeyId keyId, String requestId) {
        KeyType type = request.type() == null ? KeyType.SECRET : request.type();
        IssuedSecret secret = secrets.issue(type, caller.mode());
        KeyState created = dispatch(new CreateKey(keyId, caller.accountId(), caller.mode(),
                request.applicationId(), request.name(), type, request.permissions(), request.metadata(),
                request.expiresAt(), request.managed(), secret.fingerprint(), caller.actor(), caller.permissions(),
                requestId, request.ratelimits(), request.credits()));
        return new IssuedKey(created, secret.plaintext(), false);
    }

    /** A command on an existing key, in that key's turn ({@link KeyTurns}). */
    private KeyState send(KeyId keyId, Object command) {
        idempotentCreates.forget(keyId);
        return keyTurns.inTurn(keyId, () -> dispatchTimed(command));
    }

    /** Dispatches a command, timed as {@value #COMMAND_TIMER} by command type and outcome (rate = count). */
    private KeyState dispatchTimed(Object command) {
        return timed(command.getClass().getSimpleName(), () -> dispatch(command), result -> "success");
    }

    /**
     * Runs a use case timed as {@value #COMMAND_TIMER}; {@code outcome} is what {@code outcomeOf} says of its result,
     * {@code rejected} for a domain refusal and {@code error} for any other failure.
     */
    private <T> T timed(String command, Supplier<T> work, Function<T, String> outcomeOf) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            T result = work.get();
            outcome = outcomeOf.apply(result);
            return result;
        } catch (KeyCommandRejected e) {
            outcome = "rejected";
            throw e;
        } finally {
            sample.stop(Timer.builder(COMMAND_TIMER)
                    .description("Command dispatch: rate (count) and latency, by command type and outcome")
                    .tag("command", command)
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(meters));
        }
    }

    private KeyState dispatch(Object command) {
        try {
            return commands.sendAndWait(command);
        } catch (CommandExecutionException e) {
            // RejectionsAsDetails puts a refusal (a missing key included) in the details, so Axon Server can carry it
            Optional<Object> details = e.getDetails();
            if (details.isPresent() && details.get() instanceof RejectionDetails rejected) {
                throw rejected.toException();
            }
            if (concurrentAppend(e)) {
                throw command instanceof CreateKey
                        ? new ConcurrencyException("The key was created at the same moment", e) // answered by createOnce
                        : concurrentModification();
            }
            throw e;
        } catch (ConcurrencyException e) {
            if (command instanceof CreateKey) {
                throw e; // a second creation of one id: the idempotent create answers it with the key
            }
            throw concurrentModification();
        }
    }

    /**
     * The append at commit met a concurrent one: raised after RejectionsAsDetails ran, so not among the details. In
     * the JVM it arrives as itself; from another instance through Axon Server (INVALID_EVENT_SEQUENCE,
     * CONCURRENCY_EXCEPTION) rebuilt as a ConcurrencyException inside the command's failure.
     */
    private static boolean concurrentAppend(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }

    private static KeyCommandRejected concurrentModification() {
        return new KeyCommandRejected(Rejection.CONCURRENT_MODIFICATION,
                "The key was changed by another request at the same moment; retry",
                Map.of("reason", "concurrent_modification"));
    }

    private KeyState load(KeyId keyId) {
        return find(keyId).orElseThrow(KeyWrites::notFound);
    }

    private Optional<KeyState> find(KeyId keyId) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            KeyState snapshot = keys.load(keyId.toString()).invoke(ApiKey::state);
            unitOfWork.commit();
            return Optional.of(snapshot);
        } catch (AggregateNotFoundException e) {
            unitOfWork.rollback(e);
            return Optional.empty();
        } catch (RuntimeException e) {
            unitOfWork.rollback(e);
            throw e;
        }
    }

    private static KeyState ownedBy(Caller caller, KeyState key) {
        if (!key.accountId().equals(caller.accountId()) || key.mode() != caller.mode()) {
            throw notFound();
        }
        return key;
    }

    static KeyCommandRejected notFound() {
        return new KeyCommandRejected(Rejection.KEY_NOT_FOUND, "No such API key", Map.of("reason", "not_found"));
    }

    private static String fingerprint(NewKey request) {
        try {
            Map<String, Object> canonical = new LinkedHashMap<>();
            canonical.put("request", request);
            return SecretFormat.sha256(CANONICAL_JSON.writeValueAsString(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A create request could not be fingerprinted", e);
        }
    }
}

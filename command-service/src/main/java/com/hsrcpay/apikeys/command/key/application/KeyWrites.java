package com.hsrcpay.apikeys.command.key.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.hsrcpay.apikeys.command.key.model.ApiKey;
import com.hsrcpay.apikeys.command.key.model.CreateKey;
import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.PatchKey;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.command.key.model.RevokeKey;
import com.hsrcpay.apikeys.command.key.model.RotateKey;
import com.hsrcpay.apikeys.command.key.model.SoftDeleteKey;
import com.hsrcpay.apikeys.edge.security.Caller;
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

    public IssuedKey create(Caller caller, NewKey request, String idempotencyKey, String requestId) {
        if (idempotencyKey == null) {
            return issue(caller, request, KeyId.newId(), requestId);
        }
        String requestSha256 = fingerprint(request);
        return idempotentCreates.once(new IdempotentCreates.Request(caller.accountId(), caller.mode(), idempotencyKey),
                requestSha256, () -> createOnce(caller, request, idempotencyKey, requestSha256, requestId));
    }

    /**
     * The first of concurrent retries in this JVM: claims the key id (or finds the claim of an earlier request, here or
     * on another instance, also before a crash) and sends the create for it. If the key exists already, the event
     * store refuses the second creation and the answer is that key, replayed; so a retry after a crash between claim
     * and create simply creates it.
     */
    private IssuedKey createOnce(Caller caller, NewKey request, String idempotencyKey, String requestSha256,
                                 String requestId) {
        IdempotentRequests.Claim claim = idempotentRequests.claim(caller.accountId(), caller.mode(), idempotencyKey,
                requestSha256, KeyId.newId());
        if (!claim.requestSha256().equals(requestSha256)) {
            throw IdempotentRequests.reused();
        }
        try {
            return issue(caller, request, claim.keyId(), requestId);
        } catch (AggregateStreamCreationException | ConcurrencyException alreadyCreated) {
            // an earlier or concurrent request with this key created it: answer with that key, without its secret
            return new IssuedKey(load(claim.keyId()), null, true);
        }
    }

    public IssuedKey regenerate(Caller caller, KeyId keyId, long gracePeriodSeconds, String requestId) {
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

    public KeyState revokeForApplication(Caller caller, ApplicationId applicationId, KeyId keyId, String requestId) {
        return send(keyId,
                new RevokeKey(keyId, applicationId, caller.accountId(), caller.mode(), caller.actor(), requestId));
    }

    private IssuedKey issue(Caller caller, NewKey request, KeyId keyId, String requestId) {
        KeyType type = request.type() == null ? KeyType.SECRET : request.type();
        IssuedSecret secret = secrets.issue(type, caller.mode());
        KeyState created = dispatchTimed(new CreateKey(keyId, caller.accountId(), caller.mode(),
                request.applicationId(), request.name(), type, request.permissions(), request.metadata(),
                request.expiresAt(), request.managed(), secret.fingerprint(), caller.actor(), caller.permissions(),
                requestId));
        return new IssuedKey(created, secret.plaintext(), false);
    }

    /** A command on an existing key, in that key's turn ({@link KeyTurns}). */
    private KeyState send(KeyId keyId, Object command) {
        return keyTurns.inTurn(keyId, () -> dispatchTimed(command));
    }

    /** Dispatches a command, timed as {@value #COMMAND_TIMER} by command type and outcome (rate = count). */
    private KeyState dispatchTimed(Object command) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            KeyState result = dispatch(command);
            outcome = "success";
            return result;
        } catch (KeyCommandRejected e) {
            outcome = "rejected";
            throw e;
        } finally {
            sample.stop(Timer.builder(COMMAND_TIMER)
                    .description("Command dispatch: rate (count) and latency, by command type and outcome")
                    .tag("command", command.getClass().getSimpleName())
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
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            KeyState snapshot = keys.load(keyId.toString()).invoke(ApiKey::state);
            unitOfWork.commit();
            return snapshot;
        } catch (AggregateNotFoundException e) {
            unitOfWork.rollback(e);
            throw notFound();
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

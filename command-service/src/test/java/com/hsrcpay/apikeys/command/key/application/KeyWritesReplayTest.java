package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.ApiKey;
import com.hsrcpay.apikeys.command.key.model.CreateKey;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.shared.event.KeyState;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.Repository;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Idempotent creates: a retry of a key created before is answered from the aggregate without sending the create
 * again; a create for the claimed id is sent only when no key exists for it yet, and a creation at the same moment
 * elsewhere (the event store refuses ours) is answered as a replay too. Each counts as one {@code kms.commands}.
 */
class KeyWritesReplayTest {

    private static final Caller CALLER = new Caller(Caller.Credential.JWT, new Actor(Actor.Type.USER, "u"),
            new AccountId("acct_1"), Mode.LIVE, Permissions.fromStrings(List.of("*")));
    private static final NewKey REQUEST =
            new NewKey("Retried", null, Map.of("account:api:key", List.of("read")), null, null, false, null);

    private final CommandGateway commands = mock(CommandGateway.class);
    @SuppressWarnings("unchecked")
    private final Repository<ApiKey> keys = mock(Repository.class);
    private final IdempotentRequests claims = mock(IdempotentRequests.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final KeyWrites writes = new KeyWrites(commands, keys, new SecretIssuer(new SecureRandom()), claims,
            new IdempotentCreates(Duration.ofSeconds(1), Duration.ofMinutes(1)), new KeyTurns(Duration.ofSeconds(1)), meters);

    private final KeyId earlier = KeyId.newId();
    private final KeyState created = mock(KeyState.class);

    @Test
    void aRetryOfACreatedKeyIsAnsweredFromTheKeyWithoutSendingTheCreateAgain() {
        claimedEarlierAs(earlier);
        exists(earlier);

        IssuedKey answer = writes.create(CALLER, REQUEST, "retry-1", "req");

        assertThat(answer.replayed()).isTrue();
        assertThat(answer.key()).isSameAs(created);
        assertThat(answer.plaintext()).isNull();
        verify(commands, never()).sendAndWait(any());
        assertThat(count("replayed")).isEqualTo(1);
        assertThat(count("error")).isZero();
    }

    @Test
    void anEarlierClaimWithoutAKeySendsTheCreateForTheClaimedId() {
        claimedEarlierAs(earlier); // the first request died between claim and create
        when(keys.load(earlier.toString())).thenThrow(new AggregateNotFoundException(earlier.toString(), "none"));
        when(commands.sendAndWait(any())).thenReturn(created);

        IssuedKey answer = writes.create(CALLER, REQUEST, "retry-1", "req");

        assertThat(answer.replayed()).isFalse();
        assertThat(answer.plaintext()).isNotNull();
        ArgumentCaptor<Object> sent = ArgumentCaptor.forClass(Object.class);
        verify(commands).sendAndWait(sent.capture());
        assertThat(sent.getValue()).isInstanceOfSatisfying(CreateKey.class, c -> assertThat(c.keyId()).isEqualTo(earlier));
        assertThat(count("success")).isEqualTo(1);
    }

    @Test
    void aCreationOfTheClaimedIdAtTheSameMomentElsewhereIsAReplay() {
        claimedEarlierAs(earlier);
        Aggregate<ApiKey> aggregate = aggregateOf(created);
        when(keys.load(earlier.toString()))
                .thenThrow(new AggregateNotFoundException(earlier.toString(), "not yet"))
                .thenReturn(aggregate);
        when(commands.sendAndWait(any())).thenThrow(new ConcurrencyException("sequence 0 of the key taken"));

        IssuedKey answer = writes.create(CALLER, REQUEST, "retry-1", "req");

        assertThat(answer.replayed()).isTrue();
        assertThat(answer.key()).isSameAs(created);
        assertThat(count("replayed")).isEqualTo(1);
        assertThat(count("error")).isZero();
    }

    @Test
    void theFirstRequestWithAKeyCreatesWithoutLookingForOne() {
        when(claims.claim(any(), any(), eq("first"), any(), any()))
                .thenAnswer(call -> new IdempotentRequests.Claim(call.getArgument(3), call.getArgument(4)));
        when(commands.sendAndWait(any())).thenReturn(created);

        IssuedKey answer = writes.create(CALLER, REQUEST, "first", "req");

        assertThat(answer.replayed()).isFalse();
        verify(keys, never()).load(any());
        assertThat(count("success")).isEqualTo(1);
        assertThat(count("replayed")).isZero();
    }

    private void claimedEarlierAs(KeyId keyId) {
        // the same body as before: the fingerprint the earlier request recorded is this request's own
        when(claims.claim(any(), any(), eq("retry-1"), any(), any()))
                .thenAnswer(call -> new IdempotentRequests.Claim(call.getArgument(3), keyId));
    }

    private void exists(KeyId keyId) {
        Aggregate<ApiKey> aggregate = aggregateOf(created);
        when(keys.load(keyId.toString())).thenReturn(aggregate);
    }

    @SuppressWarnings("unchecked")
    private static Aggregate<ApiKey> aggregateOf(KeyState state) {
        Aggregate<ApiKey> aggregate = mock(Aggregate.class);
        when(aggregate.invoke(any())).thenReturn(state);
        return aggregate;
    }

    private long count(String outcome) {
        var timer = meters.find(KeyWrites.COMMAND_TIMER).tag("command", "CreateKey").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }
}

package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.PatchKey;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.command.key.model.Replace;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * An append that meets a concurrent one is raised at commit, after the refusals became details: in the JVM as itself,
 * from another instance through Axon Server inside the command's failure. Both are 409, never 500 (issue 12, item 6).
 */
class KeyWritesConflictTest {

    private final CommandGateway commands = mock(CommandGateway.class);
    private final KeyWrites writes = new KeyWrites(commands, null, null, null,
            new IdempotentCreates(Duration.ofSeconds(1), Duration.ofMinutes(1)), new KeyTurns(Duration.ofSeconds(1)), new SimpleMeterRegistry());

    private PatchKey patch() {
        return new PatchKey(KeyId.newId(), new AccountId("acct_1"), Mode.LIVE, null, Replace.with("x"), null, null,
                null, null, new Actor(Actor.Type.USER, "u"), Permissions.fromStrings(List.of("*")), "req");
    }

    @Test
    void aConflictAtCommitInTheJvmIsAConcurrentModification() {
        when(commands.sendAndWait(any())).thenThrow(new ConcurrencyException("sequence 3 taken"));
        assertThatThrownBy(() -> writes.patch(patch())).isInstanceOfSatisfying(KeyCommandRejected.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.rejection())
                        .isEqualTo(Rejection.CONCURRENT_MODIFICATION));
    }

    @Test
    void aConflictReportedByAnotherInstanceIsAConcurrentModificationToo() {
        when(commands.sendAndWait(any())).thenThrow(new CommandExecutionException("AXONIQ-2000",
                new ConcurrencyException("Invalid sequence number 3 for aggregate"), null));
        assertThatThrownBy(() -> writes.patch(patch())).isInstanceOfSatisfying(KeyCommandRejected.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.rejection())
                        .isEqualTo(Rejection.CONCURRENT_MODIFICATION));
    }

    @Test
    void anyOtherFailureIsNotDisguised() {
        CommandExecutionException bug = new CommandExecutionException("boom", new IllegalStateException("bug"), null);
        when(commands.sendAndWait(any())).thenThrow(bug);
        assertThatThrownBy(() -> writes.patch(patch())).isSameAs(bug);
    }
}

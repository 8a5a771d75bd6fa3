package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.eventstore.EventSerializationAutoConfiguration;
import com.hsrcpay.apikeys.shared.event.KeyState;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What Axon Server can carry from a command handler back to the dispatcher: refusals as {@link RejectionDetails}
 * (serialized by the services' Jackson serializer, as the connector does) and the handler's result.
 */
class RejectionsAsDetailsTest {

    private final RejectionsAsDetails interceptor = new RejectionsAsDetails();
    private final Serializer serializer = serializer();

    @AfterEach
    void noUnitOfWorkLeftOpen() {
        while (org.axonframework.messaging.unitofwork.CurrentUnitOfWork.isStarted()) {
            org.axonframework.messaging.unitofwork.CurrentUnitOfWork.get().rollback();
        }
    }

    @Test
    void aRefusalLeavesAsACommandExecutionExceptionWhoseDetailsRebuildTheSameRefusal() {
        KeyCommandRejected refused = new KeyCommandRejected(Rejection.VERSION_MISMATCH, "stale version",
                Map.of("reason", "version_mismatch", "current_version", 3));
        CommandExecutionException thrown = catchThrowableOfType(CommandExecutionException.class,
                () -> interceptor.handle(unitOfWork(), () -> {
                    throw refused;
                }));
        assertThat(thrown.getDetails()).containsInstanceOf(RejectionDetails.class);
        KeyCommandRejected rebuilt = ((RejectionDetails) thrown.getDetails().orElseThrow()).toException();
        assertThat(rebuilt.rejection()).isEqualTo(Rejection.VERSION_MISMATCH);
        assertThat(rebuilt.getMessage()).isEqualTo("stale version");
        assertThat(rebuilt.details()).isEqualTo(refused.details());
    }

    @Test
    void aMissingAggregateLeavesAsKeyNotFound() {
        CommandExecutionException thrown = catchThrowableOfType(CommandExecutionException.class,
                () -> interceptor.handle(unitOfWork(), () -> {
                    throw new AggregateNotFoundException("k", "not found");
                }));
        RejectionDetails details = (RejectionDetails) thrown.getDetails().orElseThrow();
        assertThat(details.rejection()).isEqualTo(Rejection.KEY_NOT_FOUND);
        assertThat(details.toException().details()).isEqualTo(KeyWrites.notFound().details());
    }

    @Test
    void otherFailuresAndResultsPassUnchanged() throws Exception {
        IllegalStateException other = new IllegalStateException("boom");
        assertThatThrownBy(() -> interceptor.handle(unitOfWork(), () -> {
            throw other;
        })).isSameAs(other);
        Object result = new Object();
        assertThat(interceptor.handle(unitOfWork(), () -> result)).isSameAs(result);
    }

    @Test
    void rejectionDetailsSurviveTheSerializerAxonServerUses() {
        RejectionDetails details = new RejectionDetails(Rejection.INVALID_INPUT, "name is too long",
                Map.of("field", "name", "reason", "too_long"));
        assertThat(roundTrip(details, RejectionDetails.class)).isEqualTo(details);
    }

    @Test
    void aKeyStateCommandResultSurvivesTheSerializerAxonServerUses() {
        java.util.Map<String, Instant> secrets = new java.util.LinkedHashMap<>();
        secrets.put("a".repeat(64), null); // no end
        secrets.put("b".repeat(64), Instant.parse("2026-01-02T00:05:00Z")); // in its rotation grace
        AtomicReference<KeyState> snapshot = new AtomicReference<>(new KeyState(
                KeyId.parse(UUID.randomUUID().toString()).orElseThrow(), new AccountId("acct_1"), Mode.LIVE,
                ApplicationId.parse("9f3c2a51-8d1e-4b7a-a0c4-3e5f6a7b8c9d").orElseThrow(), "Name", KeyType.SECRET,
                "sk_live_...abcd", Permissions.of(Map.of("account:api:key", java.util.List.of("read"))),
                Map.of("team", "payments"), KeyStatus.ACTIVE, Instant.parse("2030-01-01T00:00:00Z"), true, false,
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00.123Z"), 2, secrets,
                java.util.List.of(new RateLimit("per_minute", 600, 60_000)),
                new Credits(42, new Credits.Refill(Credits.Refill.Interval.DAILY, 100, null)),
                Instant.parse("2026-01-02T00:00:00.004Z")));
        assertThat(roundTrip(snapshot.get(), KeyState.class)).isEqualTo(snapshot.get());
    }

    private <T> T roundTrip(T value, Class<T> type) {
        SerializedObject<byte[]> serialized = serializer.serialize(value, byte[].class);
        // as the connector rebuilds it from the gRPC message: bytes, type name and revision only
        SimpleSerializedObject<byte[]> received = new SimpleSerializedObject<>(serialized.getData(), byte[].class,
                serialized.getType());
        T back = serializer.deserialize(received);
        assertThat(back).isInstanceOf(type);
        return back;
    }

    private static DefaultUnitOfWork<CommandMessage<?>> unitOfWork() {
        return new DefaultUnitOfWork<>(GenericCommandMessage.asCommandMessage("command"));
    }

    private static Serializer serializer() {
        AtomicReference<Serializer> serializer = new AtomicReference<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventSerializationAutoConfiguration.class))
                .run(context -> serializer.set(context.getBean(Serializer.class)));
        return serializer.get();
    }
}

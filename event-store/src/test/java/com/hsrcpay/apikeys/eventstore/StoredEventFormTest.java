package com.hsrcpay.apikeys.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import com.hsrcpay.apikeys.shared.event.KeyRevoked;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.event.SecretRetired;
import com.hsrcpay.apikeys.shared.event.SecretRotated;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The stored form of every event type at its revision, approval style: the JSON file under
 * {@code src/test/resources/stored-events/} is the truth. The stored payload is the input of the hash chain and what
 * every reader of the store reads back, so a change of a record component, its name, type or revision fails here
 * before it ships. A missing file is written from the current form and the test fails, asking for it to be reviewed
 * and committed (delete a file to approve a deliberate change, together with an upcaster for the old form).
 */
class StoredEventFormTest {

    private static final Path APPROVED = Path.of("src/test/resources/stored-events");
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Serializer serializer = new EventSerializationAutoConfiguration().serializer();

    static Stream<KeyEvent> everyEventType() {
        KeyId key = new KeyId(UUID.fromString("5b0c6f1e-0d7a-4a43-9f57-0a8f7e0f2a11"));
        AccountId account = new AccountId("acct_1a2b");
        ApplicationId app = new ApplicationId(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        Actor actor = new Actor(Actor.Type.USER, "user_1");
        Instant at = Instant.parse("2026-11-24T10:00:00.123456Z");
        SecretFingerprint first = new SecretFingerprint("a".repeat(64), "sk_live_…aaaa");
        SecretFingerprint second = new SecretFingerprint("b".repeat(64), "sk_live_…bbbb");
        Permissions permissions = Permissions.of(Map.of("account:api:key", List.of("read", "create")));
        List<RateLimit> limits = List.of(new RateLimit("per_second", 10, 1_000), new RateLimit("per_day", 50_000,
                86_400_000));
        Credits credits = new Credits(1_000, new Credits.Refill(Credits.Refill.Interval.MONTHLY, 500, 31));
        return Stream.of(
                new KeyCreated(key, account, Mode.LIVE, app, "Backend", KeyType.SECRET, permissions,
                        Map.of("team", "payments", "tier", 2), at.plusSeconds(86_400), true, first, actor, at, "req_1",
                        limits, credits),
                new SecretRotated(key, account, Mode.LIVE, app, second, first.sha256(), at.plusSeconds(300),
                        List.of(), List.of(), actor, at, "req_2"),
                new SecretRetired(key, account, Mode.LIVE, app, first.sha256(), List.of(first.sha256()),
                        Actor.system("rotation-grace"), at, "deadline:7"),
                new KeyUpdated(key, account, Mode.LIVE, new KeyChanges(new FieldChange<>("Backend", "Backend (EU)"),
                        new FieldChange<>(permissions, Permissions.of(Map.of("account:api:key", List.of("read")))),
                        new FieldChange<>(null, at.plusSeconds(3_600)),
                        new FieldChange<>(Map.of(), Map.of("team", "payments")),
                        new FieldChange<>(limits, List.of()),
                        new FieldChange<>(null, new Credits(20, null))), actor, at, "req_3"),
                new KeyDeactivated(key, account, Mode.LIVE, actor, at, "req_4"),
                new KeyActivated(key, account, Mode.TEST, actor, at, "req_5"),
                new KeyRevoked(key, account, Mode.LIVE, app, List.of(first.sha256(), second.sha256()), actor, at,
                        "req_6"),
                new KeyDeleted(key, account, Mode.LIVE, null, List.of(second.sha256()), actor, at, "req_7"),
                new KeyExpired(key, account, Mode.LIVE, app, List.of(second.sha256()), Actor.system("expiry"), at,
                        "deadline:8"),
                new KeyExposed(key, account, Mode.TEST, null, List.of(first.sha256(), second.sha256()),
                        KeyExposed.GITHUB, "https://github.com/octocat/Hello-World/blob/12345600b9cb/foo/bar.txt",
                        Actor.system("github-secret-scanning"), at, "req_11"),
                new CreditsAdjusted(key, account, Mode.LIVE, CreditsAdjusted.Operation.DECREMENT, 25, actor, at,
                        "req_9"),
                new CreditsRefilled(key, account, Mode.LIVE, 500, Instant.parse("2026-11-30T00:00:00Z"),
                        Actor.system("credits-refill"), at, "deadline:10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEventType")
    void theStoredFormOfEachEventTypeIsTheApprovedOne(KeyEvent event) throws IOException {
        SerializedObject<byte[]> stored = serializer.serialize(event, byte[].class);
        String revision = event.getClass().getAnnotation(Revision.class).value();
        assertThat(stored.getType().getName()).isEqualTo(event.getClass().getName());
        assertThat(stored.getType().getRevision()).isEqualTo(revision);

        Path approved = APPROVED.resolve(event.getClass().getSimpleName() + "-rev" + revision + ".json");
        JsonNode actual = PRETTY.readTree(stored.getData());
        if (!Files.exists(approved)) {
            Files.createDirectories(APPROVED);
            Files.writeString(approved, PRETTY.writeValueAsString(actual) + "\n");
            fail("No approved stored form for " + approved.getFileName() + ": written from the current form; review "
                    + "it and commit it");
        }
        JsonNode expected = PRETTY.readTree(Files.readString(approved));
        assertThat(actual).as("the stored form of %s (approved in %s)", event.getClass().getSimpleName(), approved)
                .isEqualTo(expected);
        // and what is stored reads back as the same event: the approved bytes, through the real serializer
        KeyEvent read = serializer.deserialize(new SimpleSerializedObject<>(
                Files.readString(approved).getBytes(StandardCharsets.UTF_8), byte[].class, stored.getType()));
        assertThat(read).isEqualTo(event);
    }

    /**
     * Events stored before usage control (revision 1 of KeyCreated and KeyUpdated) read back as a key without limits
     * and unlimited, and an update that changed neither: no upcaster is needed, and none rewrites a stored payload
     * (the chain digests are over the stored bytes).
     */
    @Test
    void revisionOneFormsReadBackWithoutUsageControl() throws IOException {
        KeyCreated created = (KeyCreated) readApproved("KeyCreated", "1");
        KeyUpdated updated = (KeyUpdated) readApproved("KeyUpdated", "1");

        assertThat(created.ratelimits()).isEmpty();
        assertThat(created.credits()).isNull();
        assertThat(created.name()).isEqualTo("Backend");
        assertThat(updated.changes().ratelimits()).isNull();
        assertThat(updated.changes().credits()).isNull();
        assertThat(updated.changes().name().after()).isEqualTo("Backend (EU)");
    }

    /** A SecretRetired stored before exposure reports (revision 1, no reason) was the end of a rotation grace. */
    @Test
    void aRevisionOneSecretRetiredReadsBackAsTheEndOfAGrace() throws IOException {
        SecretRetired retired = (SecretRetired) readApproved("SecretRetired", "1");

        assertThat(retired.reason()).isEqualTo(SecretRetired.Reason.GRACE_ENDED);
        assertThat(retired.retiredSecretSha256()).isEqualTo("a".repeat(64));
    }

    private KeyEvent readApproved(String type, String revision) throws IOException {
        Path approved = APPROVED.resolve(type + "-rev" + revision + ".json");
        return serializer.deserialize(new SimpleSerializedObject<>(Files.readAllBytes(approved), byte[].class,
                new SimpleSerializedType(KeyEvent.class.getPackageName() + "." + type, revision)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEventType")
    void theChainDigestOfTheApprovedFormIsStable(KeyEvent event) throws IOException {
        // the digest is computed from the event as stored: pinned so that a change of either shows
        String revision = event.getClass().getAnnotation(Revision.class).value();
        Path approved = APPROVED.resolve(event.getClass().getSimpleName() + "-rev" + revision + ".json");
        Path digestFile = APPROVED.resolve(event.getClass().getSimpleName() + "-rev" + revision + ".digest");
        String digest = EventChain.digestOfStored(EventChain.GENESIS, event.keyId().toString(), 0,
                event.getClass().getName(), Files.readAllBytes(approved));
        assertThat(digest).isEqualTo(EventChain.digest(null, 0, event));
        if (!Files.exists(digestFile)) {
            Files.writeString(digestFile, digest + "\n");
            fail("No approved digest for " + digestFile.getFileName() + ": written; review it and commit it");
        }
        assertThat(digest).isEqualTo(Files.readString(digestFile).trim());
    }
}

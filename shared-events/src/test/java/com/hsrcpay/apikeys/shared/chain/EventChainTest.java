package com.hsrcpay.apikeys.shared.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.event.FieldChange;
import com.hsrcpay.apikeys.shared.event.KeyChanges;
import com.hsrcpay.apikeys.shared.event.KeyCreated;
import com.hsrcpay.apikeys.shared.event.KeyUpdated;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventChainTest {

    static final KeyId KEY = KeyId.of("6f1c2a4e-1111-4222-8333-944455556666");
    static final AccountId ACCOUNT = AccountId.of("acct_1");
    static final Actor ACTOR = new Actor(Actor.Type.USER, "user_1");
    static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");
    static final ObjectMapper STORE = EventJson.newObjectMapper();

    static KeyCreated created(String name) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("z", 1);
        metadata.put("a", 2.5);
        metadata.put("m", "text \"quoted\" ü");
        return new KeyCreated(KEY, ACCOUNT, Mode.LIVE, null, name, KeyType.SECRET,
                Permissions.of(Map.of("account:api:key", List.of("read"))), metadata, null, true,
                new SecretFingerprint("ab".repeat(32), "sk_live_…9fQx"), ACTOR, T0, "req_1");
    }

    static KeyUpdated renamed() {
        return new KeyUpdated(KEY, ACCOUNT, Mode.LIVE,
                new KeyChanges(new FieldChange<>("Old", "New"), null, null, null), ACTOR, T0.plusSeconds(1), "req_2");
    }

    @Test
    void theDigestOfAnEventEqualsTheDigestOfItsStoredJson() throws Exception {
        KeyCreated event = created("Old");
        String written = EventChain.digest(null, 0, event);
        String stored = EventChain.digestOfStored(EventChain.GENESIS, KEY.toString(), 0, KeyCreated.class.getName(),
                STORE.writeValueAsBytes(event));
        assertThat(written).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(stored);

        String second = EventChain.digest(written, 1, renamed());
        assertThat(EventChain.digestOfStored(stored, KEY.toString(), 1, KeyUpdated.class.getName(),
                STORE.writeValueAsBytes(renamed()))).isEqualTo(second);
    }

    @Test
    void keyOrderAndWhitespaceOfTheStoredJsonDoNotMatter() throws Exception {
        String json = new String(STORE.writeValueAsBytes(created("Old")), StandardCharsets.UTF_8);
        Map<?, ?> reordered = STORE.readValue(json, Map.class);
        Map<Object, Object> reversed = new LinkedHashMap<>();
        List<Object> keys = new java.util.ArrayList<>(reordered.keySet());
        java.util.Collections.reverse(keys);
        keys.forEach(k -> reversed.put(k, reordered.get(k)));
        byte[] pretty = STORE.writerWithDefaultPrettyPrinter().writeValueAsBytes(reversed);
        assertThat(EventChain.digestOfStored(null, KEY.toString(), 0, "KeyCreated", pretty))
                .isEqualTo(EventChain.digest(null, 0, created("Old")));
    }

    @Test
    void anyChangeOfContentPositionTypeOrPredecessorChangesTheDigest() throws Exception {
        String base = EventChain.digest(null, 0, created("Old"));
        assertThat(EventChain.digest(null, 0, created("Evil"))).isNotEqualTo(base);
        assertThat(EventChain.digest(null, 1, created("Old"))).isNotEqualTo(base);
        assertThat(EventChain.digest("1".repeat(64), 0, created("Old"))).isNotEqualTo(base);
        byte[] json = STORE.writeValueAsBytes(created("Old"));
        assertThat(EventChain.digestOfStored(null, KEY.toString(), 0, "KeyUpdated", json)).isNotEqualTo(base);
        assertThat(EventChain.digestOfStored(null, "other", 0, "KeyCreated", json)).isNotEqualTo(base);
        String edited = new String(json, StandardCharsets.UTF_8).replace("Old", "Evil");
        assertThat(EventChain.digestOfStored(null, KEY.toString(), 0, "KeyCreated",
                edited.getBytes(StandardCharsets.UTF_8))).isNotEqualTo(base);
    }

    @Test
    void unparseablePayloadsAreRefusedAndStoredDigestsAreReadFromMetadata() {
        assertThatThrownBy(() -> EventChain.digestOfStored(null, "k", 0, "KeyCreated",
                "{not json".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventChain.digestOfStored(null, "k", 0, "KeyCreated",
                "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThat(EventChain.storedDigest("{\"chainDigest\":\"abc\",\"traceId\":\"t\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("abc");
        assertThat(EventChain.storedDigest("{}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(EventChain.storedDigest(Map.of("chainDigest", "abc"))).isEqualTo("abc");
        assertThat(EventChain.GENESIS).hasSize(64).matches("0+");
    }
}

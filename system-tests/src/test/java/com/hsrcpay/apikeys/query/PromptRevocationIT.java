package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.revocation.RevocationList;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.KafkaRecords;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command service sends a key's end to {@code api-key-revocations} itself, right after the commit: shown with no
 * query service at all (so no publisher) on the database, then with one, whose record is the same.
 */
class PromptRevocationIT {

    private static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    private static final Duration AT_MOST = Duration.ofSeconds(30);

    private SystemUnderTest system;

    @AfterEach
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aDeletedKeysRevocationComesFromTheCommandServiceAloneAndThePublishersIsTheSameRecord() throws Exception {
        revocationTopicAsTheQueryServiceMakesIt();
        system = SystemUnderTest.onFreshDatabase();
        HttpApi writes = SystemUnderTest.api(system.startCommandService());
        String account = "acct_prompt" + Long.toHexString(System.nanoTime());
        String token = TestJwts.forAccount(account).sign();

        HttpApi.Reply rotatedKey = create(writes, token, account, "Rotated, then deleted");
        String rotatedId = rotatedKey.json().at("/data/id").asText();
        HttpApi.Reply rotated = writes.post("/v1/api-keys/" + rotatedId + "/regenerate").bearer(token).send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(writes.delete("/v1/api-keys/" + rotatedId).bearer(token).send().status()).isEqualTo(200);
        HttpApi.Reply key = create(writes, token, account, "Deleted");
        String id = key.json().at("/data/id").asText();
        assertThat(writes.delete("/v1/api-keys/" + id).bearer(token).send().status()).isEqualTo(200);

        List<ConsumerRecord<String, String>> prompt = KafkaRecords.awaitRecords(TestKafka.bootstrapServers(),
                KeyRevocation.TOPIC, r -> id.equals(r.key()), 1, AT_MOST);
        assertThat(prompt).as("one record, and no query service runs").hasSize(1);
        ConsumerRecord<String, String> record = prompt.get(0);
        String deletedEventId = system.jdbc().queryForObject("""
                SELECT event_identifier FROM event_store.domain_event_entry
                WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1""", String.class, id);
        assertThat(KafkaRecords.header(record, "event_id")).isEqualTo(deletedEventId);
        KeyRevocation revocation = EventJson.newObjectMapper().readValue(record.value(), KeyRevocation.class);
        assertThat(revocation.eventId()).isEqualTo(deletedEventId);
        assertThat(revocation.reason()).isEqualTo(KeyRevocation.Reason.DELETED);
        assertThat(revocation.keyRevoked()).isTrue();
        RevocationList deny = new RevocationList();
        assertThat(deny.apply(revocation)).isTrue();
        assertThat(deny.isRevoked(key.json().at("/data/key").asText())).isTrue();
        assertThat(record.value()).doesNotContain(key.json().at("/data/key").asText());
        // the rotated key's end names two secrets: left to the publisher (sent before the other, by the one sender)
        assertThat(KafkaRecords.awaitRecords(TestKafka.bootstrapServers(), KeyRevocation.TOPIC,
                r -> rotatedId.equals(r.key()) || id.equals(r.key()), 1, AT_MOST))
                .extracting(ConsumerRecord::key).containsOnly(id);

        system.startQueryService();
        List<ConsumerRecord<String, String>> both = KafkaRecords.awaitRecords(TestKafka.bootstrapServers(),
                KeyRevocation.TOPIC, r -> id.equals(r.key()), 2, AT_MOST);
        assertThat(both).hasSize(2);
        assertThat(both.get(1).value()).as("the publisher's record").isEqualTo(record.value());
        assertThat(KafkaRecords.firstOfEachEvent(both)).hasSize(1);
        assertThat(KafkaRecords.awaitRecords(TestKafka.bootstrapServers(), KeyRevocation.TOPIC,
                r -> rotatedId.equals(r.key()), 2, AT_MOST)).as("the rotation and the end, from the publisher")
                .extracting(r -> r.value().contains("\"reason\":\"rotated\"")).containsExactly(true, false);
    }

    private static HttpApi.Reply create(HttpApi writes, String token, String account, String name) {
        HttpApi.Reply reply = writes.post("/v1/api-keys/?account_id=" + account).bearer(token)
                .json(Map.of("name", name, "permissions", READ, "managed", true)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply;
    }

    /** The query service creates the topic at its start; here none runs yet. */
    private static void revocationTopicAsTheQueryServiceMakesIt() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(KeyRevocation.TOPIC, 3, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TopicExistsException.class);
        }
    }
}

package com.hsrcpay.apikeys.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.KafkaRecords;
import com.hsrcpay.apikeys.testsupport.RestartableKafka;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** With the broker down, revocations are accepted; once it is back, every record arrives, in per-key order. */
class KafkaOutageIT {

    private SystemUnderTest system;
    private RestartableKafka kafka;

    @AfterEach
    void stop() {
        if (system != null) {
            system.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void fiftyRevocationsDuringABrokerOutageAreAcceptedAndAllArriveAfterItReturns() throws Exception {
        kafka = RestartableKafka.start();
        system = new SystemUnderTest(TestPostgres.newDatabase(), kafka.bootstrapServers());
        HttpApi writes = SystemUnderTest.api(system.startCommandService());
        system.startQueryService();
        String account = "acct_outage";
        String token = TestJwts.forAccount(account).sign();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            HttpApi.Reply created = writes.post("/v1/api-keys/?account_id=" + account).bearer(token)
                    .json(Map.of("name", "Key " + i, "permissions", Map.of("account:api:key", List.of("read"))))
                    .send();
            assertThat(created.status()).isEqualTo(201);
            keys.add(created.json().at("/data/id").asText());
        }

        kafka.stop();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String id = keys.get(i);
            if (i % 2 == 0) {
                statuses.add(writes.patch("/v1/api-keys/" + id).bearer(token).json(Map.of("name", "Renamed")).send()
                        .status());
            }
            statuses.add(writes.delete("/v1/api-keys/" + id).bearer(token).send().status());
        }
        assertThat(statuses).as("no command failed while Kafka was down").containsOnly(200);
        kafka.restart();

        Set<String> expected = new HashSet<>(keys);
        List<ConsumerRecord<String, String>> revocations = KafkaRecords.awaitRecords(kafka.bootstrapServers(),
                KeyRevocation.TOPIC, r -> expected.contains(r.key()), 50, Duration.ofMinutes(3));
        assertThat(revocations.stream().map(ConsumerRecord::key).distinct()).hasSize(50);
        ObjectMapper json = new ObjectMapper();
        for (ConsumerRecord<String, String> record : revocations) {
            assertThat(json.readTree(record.value()).get("reason").asText()).isEqualTo("deleted");
        }

        List<ConsumerRecord<String, String>> events = KafkaRecords.awaitRecords(kafka.bootstrapServers(),
                KeyEventHeaders.TOPIC, r -> expected.contains(r.key())
                        && "KeyDeleted".equals(KafkaRecords.header(r, KeyEventHeaders.EVENT_TYPE)), 50,
                Duration.ofMinutes(3));
        assertThat(events.stream().map(ConsumerRecord::key).distinct()).hasSize(50);
        Map<String, List<String>> perKey = new LinkedHashMap<>();
        Set<String> seenEventIds = new HashSet<>();
        for (ConsumerRecord<String, String> record : KafkaRecords.awaitRecords(kafka.bootstrapServers(),
                KeyEventHeaders.TOPIC, r -> expected.contains(r.key()), 125, Duration.ofMinutes(1))) {
            // at least once: a consumer keeps the first record of each event id, as the contract tells it to
            if (seenEventIds.add(KafkaRecords.header(record, KeyEventHeaders.EVENT_ID))) {
                perKey.computeIfAbsent(record.key(), k -> new ArrayList<>())
                        .add(KafkaRecords.header(record, KeyEventHeaders.EVENT_TYPE));
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(perKey.get(keys.get(i))).as("events of key " + i + " in order")
                    .containsExactlyElementsOf(i % 2 == 0 ? List.of("KeyCreated", "KeyUpdated", "KeyDeleted")
                            : List.of("KeyCreated", "KeyDeleted"));
        }
    }
}

package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two command-service instances on one event store write the same key at the same moment, round after round.
 * Neither holds a lock the other sees: the event store's unique (aggregate, sequence number) is the only
 * arbiter. Each write either wins (200) or is told so (409 concurrent_modification); the key's events stay one
 * gap-free sequence with exactly one event per win, and the key keeps working on both instances.
 */
class TwoCommandInstancesIT {

    private static final Logger LOG = LoggerFactory.getLogger(TwoCommandInstancesIT.class);

    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final int MAX_ROUNDS = 300;
    static final int ENOUGH_CONFLICTS = 5;

    final TestDatabase database = TestPostgres.newDatabase();
    final JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());

    @Test
    void concurrentWritesToOneKeyFromTwoInstancesEachWinOrGet409AndNeverCorruptTheKey() throws Exception {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        String token = TestJwts.forAccount(account).sign();
        try (ConfigurableApplicationContext first = start(); ConfigurableApplicationContext second = start()) {
            List<HttpApi> instances = List.of(StandaloneCommandService.api(first), StandaloneCommandService.api(second));
            HttpApi.Reply created = instances.get(0).post("/v1/api-keys/?account_id=" + account).bearer(token)
                    .json(Map.of("name", "Contended", "permissions", READ)).send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().at("/data/id").asText();

            int wins = 0;
            int conflicts = 0;
            ExecutorService clients = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < MAX_ROUNDS && conflicts < ENOUGH_CONFLICTS; round++) {
                    CyclicBarrier together = new CyclicBarrier(2);
                    List<Future<HttpApi.Reply>> replies = new ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        HttpApi instance = instances.get(i);
                        String name = "Round " + round + " by instance " + i;
                        replies.add(clients.submit(() -> {
                            together.await();
                            return instance.patch("/v1/api-keys/" + id).bearer(token).json(Map.of("name", name))
                                    .send();
                        }));
                    }
                    for (Future<HttpApi.Reply> future : replies) {
                        HttpApi.Reply reply = future.get();
                        assertThat(reply.status()).as(reply.toString()).isIn(200, 409);
                        if (reply.status() == 200) {
                            wins++;
                        } else {
                            conflicts++;
                            assertThat(reply.json().at("/error/details/reason").asText())
                                    .isEqualTo("concurrent_modification");
                        }
                    }
                }
            } finally {
                clients.shutdownNow();
            }

            LOG.info("Two instances, one key: {} writes won, {} got 409 concurrent_modification", wins, conflicts);
            assertThat(conflicts).as("the race between the instances actually happened").isPositive();
            List<Long> sequence = jdbc.queryForList("""
                    SELECT sequence_number FROM event_store.domain_event_entry WHERE aggregate_identifier = ?
                    ORDER BY sequence_number""", Long.class, id);
            assertThat(sequence).as("one gap-free sequence: the creation and one event per win")
                    .containsExactlyElementsOf(LongStream.rangeClosed(0, wins).boxed().toList());

            // both instances still load the key at its true version and can write it
            long version = wins + 1L;
            for (HttpApi instance : instances) {
                HttpApi.Reply next = instance.patch("/v1/api-keys/" + id).bearer(token)
                        .header("If-Match", "\"" + version + "\"").json(Map.of("name", "After the race " + version))
                        .send();
                assertThat(next.status()).as(next.toString()).isEqualTo(200);
                version++;
            }
        }
    }

    private ConfigurableApplicationContext start() {
        return StandaloneCommandService.start(database);
    }

}

package com.hsrcpay.apikeys.query.audit.export;

import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.query.BulkEvents;
import com.hsrcpay.apikeys.query.ReadsPoolConfiguration;
import com.hsrcpay.apikeys.query.SystemUnderTest;
import com.hsrcpay.apikeys.query.transparency.TransparencyLogWriter;
import com.hsrcpay.apikeys.query.webhook.application.WebhookOutbox;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 40,000 events of one account (~3.5 KiB each, ~140 MB of NDJSON) streamed through the export: fewer rows of a
 * larger payload, as the bytes are what a materialising export would hold (100,000 rows of 1 KiB cost twice the time
 * for the same proof; 5 KiB rows put more of each fetch in the heap at once). Constant memory is
 * checked in the JVM that runs the query service: with the client paused after the first lines (the server blocked
 * on a full socket), the live heap after a full GC has grown by far less than the export's size. An implementation
 * that read the window into a list, or rendered the body before sending, would hold all of it at that point.
 * Chain digests are not computed for these rows (meta_data is '{}'): this test is about volume; chains have theirs.
 * And an export outlasts a request's bounds: a fetch slower than a request's statement timeout is waited for.
 */
class AuditExportVolumeIT {

    static final int EVENTS = 40_000;
    static final long MAX_GROWTH_BYTES = 40L * 1024 * 1024;

    // one query service for both tests: each reads an account of its own
    private static SystemUnderTest system;
    private static ConfigurableApplicationContext queryService;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.onFreshDatabase();
        queryService = system.startQueryService();
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void streamsFortyThousandLargeEventsInConstantMemory() throws Exception {
        // the rows are for the export only: the processors need not project (or publish) 100,000 keys meanwhile
        EventProcessingConfiguration processing = queryService.getBean(EventProcessingConfiguration.class);
        List<String> processors = new ArrayList<>(SystemUnderTest.PROCESSORS);
        processors.add(TransparencyLogWriter.GROUP);
        processors.add(WebhookOutbox.GROUP);
        for (String name : processors) {
            processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow().shutDown();
        }
        String account = "acct_volume";
        insertKeyCreated(account, EVENTS);
        insertKeyCreated("acct_neighbour", 1_000);

        int port = ((WebServerApplicationContext) queryService).getWebServer().getPort();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/v1/audit/events?account_id=" + account
                                + "&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"))
                        .header("Authorization", "Bearer " + TestJwts.forAccount(account).sign()).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-ndjson"));
        long paused;
        long lines = 0;
        long bytes = 0;
        long lastIndex = -1;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while (lines < 1000 && (line = reader.readLine()) != null) {
                lines++;
                bytes += line.length() + 1;
            }
            Thread.sleep(1000); // the server fills the socket and blocks mid-export
            paused = usedHeapAfterGc();
            while ((line = reader.readLine()) != null) {
                lines++;
                bytes += line.length() + 1;
                long index = Long.parseLong(line.substring(line.indexOf(':') + 1, line.indexOf(',')));
                assertThat(index).isGreaterThan(lastIndex);
                lastIndex = index;
                assertThat(line).contains(account).doesNotContain("acct_neighbour");
            }
        }
        long after = usedHeapAfterGc();
        assertThat(lines).as("the header line and every event").isEqualTo(EVENTS + 1);
        assertThat(bytes).isGreaterThan(100L * 1024 * 1024);
        LoggerFactory.getLogger(AuditExportVolumeIT.class).info(
                "export: {} lines, {} MB; live heap paused mid-export {} MB, after {} MB",
                lines, bytes >> 20, paused >> 20, after >> 20);
        // mid-export the live heap is within a small bound of the heap once the export is over
        assertThat(paused - after).isLessThan(MAX_GROWTH_BYTES);
    }

    /**
     * A fetch slower than a request's one-second statement (the CI failure: a busy machine, 503 mid-stream): the
     * payload function sleeps 1.5 ms a row, so each fetch of 1,000 rows takes about 1.5 s. Under the reads pool's
     * request bounds the first fetch is cancelled and the export answers 503; on the export's own bounds it streams.
     */
    @Test
    void aFetchSlowerThanARequestStatementIsWaitedFor() throws Exception {
        String account = "acct_slow";
        insertKeyCreated(account, 1_500);
        String original = system.jdbc().queryForObject(
                "SELECT pg_get_functiondef('event_store.event_json(bytea)'::regprocedure)", String.class);
        system.jdbc().execute("""
                CREATE OR REPLACE FUNCTION event_store.event_json(payload BYTEA) RETURNS JSONB
                    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS
                $$
                BEGIN
                    PERFORM pg_sleep(0.0015);
                    RETURN convert_from(payload, 'UTF8')::jsonb;
                END
                $$""");
        try {
            exportSlowly(account);
        } finally {
            system.jdbc().execute(original);
        }
    }

    private void exportSlowly(String account) throws Exception {
        int port = ((WebServerApplicationContext) queryService).getWebServer().getPort();
        long started = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/v1/audit/events?account_id=" + account
                                + "&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"))
                        .header("Authorization", "Bearer " + TestJwts.forAccount(account).sign()).build(),
                HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(response.statusCode()).as(response.body().lines().findFirst().orElse("")).isEqualTo(200);
        List<String> lines = response.body().lines().toList();
        assertThat(lines).as("the header and every event, no error line").hasSize(1_501)
                .noneMatch(line -> line.contains("\"success\":false"));
        assertThat(millis).as("the slowed fetches really outlasted a request statement").isGreaterThan(2_000);
        // the wider bounds were the export's transaction's only: the pool's connections keep the request bounds
        assertThat(queryService.getBean(ReadsPoolConfiguration.READS_POOL, DedicatedPool.class).jdbc()
                .queryForObject("SHOW statement_timeout", String.class)).isEqualTo("1s");
    }

    private void insertKeyCreated(String account, int count) {
        // about 3.5 KB a payload, through the real serializer
        BulkEvents.append(system.jdbc().getDataSource(), BulkEvents.keysCreated(account, count,
                Instant.parse("2026-01-01T00:00:00Z"), Map.of("note", "x".repeat(2_800))));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // lets the collector finish before the heap is read
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

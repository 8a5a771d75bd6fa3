package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.localstack.Envelopes;
import com.hsrcpay.apikeys.localstack.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writes of one credential beyond its turns wait, then get 429 in the envelope, without reaching the command
 * service; other credentials and reads are not behind them. The command service here holds every write until the
 * test lets it go, as a storm's writes hold it.
 */
class ApiGatewayWriteTurnsTest {

    private static final Duration WAIT = Duration.ofMillis(300);
    private static final String STORMER = "Authorization: Bearer stormer";

    private final GatewayUnderTest stack = new GatewayUnderTest(new WriteTurns.Limits(2, WAIT));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        stack.close();
    }

    @Test
    void aWriteBeyondItsCredentialsTurnsWaitsThenGets429WithRetryAfterAndNeverReachesTheService() {
        List<CompletableFuture<RawHttp.Answer>> inFlight = holdTwoWritesOf(STORMER);

        long started = System.nanoTime();
        RawHttp.Answer refused = RawHttp.send(stack.port(), write(STORMER));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(Envelopes.assertV1Error(refused, 429)).isEqualTo("too_many_concurrent_writes");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.body()).contains("\"retry_after_seconds\":1");
        assertThat(waited).as("it waited its turn first").isGreaterThanOrEqualTo(WAIT.minusMillis(50));
        assertThat(stack.command.received()).as("only the two writes in their turns reached the service").hasSize(2);

        release.countDown();
        assertThat(inFlight).allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo(200));
    }

    @Test
    void aWriteWaitingForATurnGoesThroughWhenOneIsGivenBack() {
        List<CompletableFuture<RawHttp.Answer>> inFlight = holdTwoWritesOf(STORMER);
        CompletableFuture<RawHttp.Answer> third = CompletableFuture.supplyAsync(
                () -> RawHttp.send(stack.port(), write(STORMER)));
        await("the third write waits for a turn").during(Duration.ofMillis(100)).atMost(WAIT)
                .until(() -> !third.isDone() && stack.command.received().size() == 2);
        release.countDown();

        assertThat(third.join().status()).isEqualTo(200);
        assertThat(inFlight).allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo(200));
        assertThat(stack.command.received()).hasSize(3);
    }

    @Test
    void anotherCredentialsWritesAndTheStormersReadsAreNotBehindTheStorm() {
        holdTwoWritesOf(STORMER);
        stack.command.answerWith(RecordingUpstream.json(201, "{\"created\":true}"));

        assertThat(RawHttp.send(stack.port(), write("Authorization: Bearer bystander")).status()).isEqualTo(201);
        assertThat(RawHttp.send(stack.port(), RawHttp.get("/v1/api-keys", STORMER)).status()).isEqualTo(200);
        assertThat(RawHttp.send(stack.port(), RawHttp.request("POST", "/v1/keys/verify", STORMER,
                "Content-Length: 0")).status()).as("verification is a read: no turn").isEqualTo(200);
    }

    @Test
    void requestsWithoutACredentialFromOneAddressShareOneSetOfTurns() {
        holdTwoWritesOf(null);

        assertThat(Envelopes.assertV1Error(RawHttp.send(stack.port(), write(null)), 429))
                .isEqualTo("too_many_concurrent_writes");
    }

    /** Two writes of the credential, held by the command service until {@link #release}. */
    private List<CompletableFuture<RawHttp.Answer>> holdTwoWritesOf(String credential) {
        stack.command.answerWith(exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RecordingUpstream.json(200, "{\"upstream\":\"command\"}").answer(exchange);
        });
        List<CompletableFuture<RawHttp.Answer>> held = List.of(
                CompletableFuture.supplyAsync(() -> RawHttp.send(stack.port(), write(credential))),
                CompletableFuture.supplyAsync(() -> RawHttp.send(stack.port(), write(credential))));
        await().atMost(Duration.ofSeconds(5)).until(() -> stack.command.received().size() == 2);
        return held;
    }

    private static String write(String credential) {
        return credential == null
                ? RawHttp.request("POST", "/v1/api-keys/?account_id=acct_1", "Content-Length: 0")
                : RawHttp.request("POST", "/v1/api-keys/?account_id=acct_1", credential, "Content-Length: 0");
    }
}

package com.hsrcpay.apikeys.revocation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.hsrcpay.apikeys.shared.message.KeyRevocation.Reason;
import com.hsrcpay.apikeys.testsupport.RestartableKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.hsrcpay.apikeys.revocation.RevocationListTest.newSecret;
import static com.hsrcpay.apikeys.revocation.RevocationListTest.revocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Broker outages, on a broker of this test's own that it stops and restarts. */
class RevocationClientOutageIT {

    private final Logger clientLogger = (Logger) LoggerFactory.getLogger(RevocationClient.class);
    private final List<ILoggingEvent> logged = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            logged.add(event);
        }
    };

    @BeforeEach
    void captureLogs() {
        appender.start();
        clientLogger.addAppender(appender);
    }

    @AfterEach
    void releaseLogs() {
        clientLogger.detachAppender(appender);
    }

    @Test
    void survivesABrokerThatIsDownAtStartAndGoesDownLater() throws Exception {
        try (RestartableKafka kafka = RestartableKafka.start()) {
            String before = newSecret();
            String topicName;
            try (RevocationTopic topic = RevocationTopic.create(kafka.bootstrapServers(), 2)) {
                topicName = topic.name;
                topic.send(revocation(UUID.randomUUID(), Reason.REVOKED, true, before));
            }
            kafka.stop();

            try (RevocationClient client = RevocationClient.builder()
                    .bootstrapServers(kafka.bootstrapServers())
                    .topic(topicName)
                    .metadataRefreshInterval(Duration.ofMillis(500))
                    .build()) {
                // down at start: start() still returns; the first metadata request times out (5 s), which is
                // logged at WARN, and the thread keeps trying
                client.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> warned("failed"));
                assertThat(client.isBootstrapped()).isFalse();
                assertThat(RevocationClientIT.consumerThreadAlive(topicName)).isTrue();

                kafka.restart();
                assertThat(client.awaitBootstrap(Duration.ofSeconds(60))).isTrue();
                assertThat(client.revocationList().isRevoked(before)).isTrue();

                // down while running: noticed from the unanswered fetches, and polling resumes after the restart
                logged.clear();
                kafka.stop();
                await().atMost(Duration.ofSeconds(20)).until(() -> warned("No answer from Kafka"));
                assertThat(RevocationClientIT.consumerThreadAlive(topicName)).isTrue();
                kafka.restart();

                String after = newSecret();
                try (RevocationTopic topic = RevocationTopic.existing(kafka.bootstrapServers(), topicName)) {
                    topic.send(revocation(UUID.randomUUID(), Reason.REVOKED, true, after));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> client.revocationList().isRevoked(after));
                assertThat(client.stats().recordsApplied()).isEqualTo(2);
            }
        }
    }

    private boolean warned(String text) {
        return logged.stream().anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(text));
    }
}

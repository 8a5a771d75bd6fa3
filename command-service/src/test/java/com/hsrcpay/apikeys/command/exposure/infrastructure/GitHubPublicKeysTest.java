package com.hsrcpay.apikeys.command.exposure.infrastructure;

import com.hsrcpay.apikeys.testsupport.FakeGitHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** GitHub's public keys over real HTTP (a local server): signatures, the cache, and the refetch throttle. */
class GitHubPublicKeysTest {

    private final FakeGitHub github = new FakeGitHub();
    private final MovableClock clock = new MovableClock();
    private final GitHubPublicKeys keys = new GitHubPublicKeys(URI.create(github.publicKeysUrl()),
            Duration.ofMinutes(1), Duration.ofSeconds(5), clock);

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void aSignatureOfTheBodyByAListedKeyVerifiesAndNothingElseDoes() {
        FakeGitHub.SigningKey signing = github.publish(FakeGitHub.newSigningKey());
        FakeGitHub.SigningKey other = FakeGitHub.newSigningKey();
        String body = FakeGitHub.report("t", "https://github.com/a/b", "sk_live_x");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        assertThat(keys.verifies(signing.identifier(), signing.sign(body), bytes)).isTrue();
        assertThat(keys.verifies(signing.identifier(), other.sign(body), bytes)).isFalse();
        assertThat(keys.verifies(signing.identifier(), signing.sign(body + " "), bytes)).isFalse();
        assertThat(keys.verifies(signing.identifier(), "%%%", bytes)).isFalse();
        assertThat(keys.verifies(signing.identifier(), "AAAA", bytes)).isFalse();
        assertThat(keys.verifies(signing.identifier(), null, bytes)).isFalse();
        assertThat(keys.verifies(null, signing.sign(body), bytes)).isFalse();
    }

    @Test
    void knownKeysAreCachedAndUnknownIdentifiersRefetchAtMostOnceAMinute() {
        FakeGitHub.SigningKey first = github.publish(FakeGitHub.newSigningKey());
        String body = "[]";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        assertThat(keys.verifies(first.identifier(), first.sign(body), bytes)).isTrue();
        assertThat(keys.verifies(first.identifier(), first.sign(body), bytes)).isTrue();
        assertThat(github.fetches()).as("fetched once, then cached").isEqualTo(1);

        for (int i = 0; i < 50; i++) {
            keys.verifies("made-up-" + i, first.sign(body), bytes);
        }
        assertThat(github.fetches()).as("a flood of unknown identifiers within the minute fetches nothing").isEqualTo(1);

        FakeGitHub.SigningKey rotated = github.publish(FakeGitHub.newSigningKey());
        clock.advance(Duration.ofSeconds(30));
        assertThat(keys.verifies(rotated.identifier(), rotated.sign(body), bytes)).as("not yet: 30 s").isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(keys.verifies(rotated.identifier(), rotated.sign(body), bytes)).isTrue();
        assertThat(github.fetches()).isEqualTo(2);
        assertThat(keys.verifies(first.identifier(), first.sign(body), bytes)).as("no longer current, still listed")
                .isTrue();
    }

    @Test
    void anUnreachableDocumentVerifiesNothingAndKeepsWhatWasKnown() {
        FakeGitHub.SigningKey signing = github.publish(FakeGitHub.newSigningKey());
        byte[] bytes = "[]".getBytes(StandardCharsets.UTF_8);
        assertThat(keys.verifies(signing.identifier(), signing.sign("[]"), bytes)).isTrue();
        github.close();
        clock.advance(Duration.ofMinutes(2));

        assertThat(keys.verifies("unknown", signing.sign("[]"), bytes)).isFalse();
        assertThat(keys.verifies(signing.identifier(), signing.sign("[]"), bytes)).isTrue();
    }

    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

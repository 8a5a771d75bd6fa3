package com.hsrcpay.apikeys.localstack;

import com.hsrcpay.apikeys.localstack.gateway.WriteTurns;
import org.junit.jupiter.api.Test;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStackSettingsTest {

    @TempDir
    Path dataDir;

    @Test
    void theApiPortListensOnLoopbackUnlessKmsBindAddressSaysOtherwise() {
        assertThat(settings(Map.of()).gateway().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(settings(Map.of("KMS_BIND_ADDRESS", "0.0.0.0")).gateway().bindAddress()).isEqualTo("0.0.0.0");
        assertThat(settings(Map.of("KMS_BIND_ADDRESS", " ::1 ")).gateway().bindAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void theServicesOwnPortsAre8081And8082UnlessSet() {
        assertThat(settings(Map.of()).commandPort()).isEqualTo(8081);
        assertThat(settings(Map.of()).queryPort()).isEqualTo(8082);
        LocalStackSettings set = settings(Map.of("KMS_COMMAND_PORT", "18081", "KMS_QUERY_PORT", "0"));
        assertThat(set.commandPort()).isEqualTo(18081);
        assertThat(set.queryPort()).as("0: a free one").isZero();
        assertThatThrownBy(() -> settings(Map.of("KMS_QUERY_PORT", "80800")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KMS_QUERY_PORT");
    }

    @Test
    void aBindAddressThatIsNoAddressIsRefusedByName() {
        assertThatThrownBy(() -> settings(Map.of("KMS_BIND_ADDRESS", "no-such-host.invalid")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KMS_BIND_ADDRESS");
    }

    @Test
    void theGatewayTimeoutIsThirtySecondsUnlessSet() {
        assertThat(settings(Map.of()).gateway().upstreamTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings(Map.of("KMS_GATEWAY_TIMEOUT_MS", "1500")).gateway().upstreamTimeout())
                .isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> settings(Map.of("KMS_GATEWAY_TIMEOUT_MS", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KMS_GATEWAY_TIMEOUT_MS");
        assertThatThrownBy(() -> settings(Map.of("KMS_GATEWAY_TIMEOUT_MS", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KMS_GATEWAY_TIMEOUT_MS");
    }

    @Test
    void twoWritesPerCredentialAtOnceAndAOneAndAHalfSecondWaitForATurnUnlessSet() {
        assertThat(settings(Map.of()).gateway().writeTurns())
                .isEqualTo(new WriteTurns.Limits(3, Duration.ofMillis(1200)));
        assertThat(settings(Map.of("KMS_GATEWAY_WRITES_PER_CREDENTIAL", "8", "KMS_GATEWAY_WRITE_QUEUE_WAIT_MS", "250"))
                .gateway().writeTurns()).isEqualTo(new WriteTurns.Limits(8, Duration.ofMillis(250)));
        assertThatThrownBy(() -> settings(Map.of("KMS_GATEWAY_WRITES_PER_CREDENTIAL", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KMS_GATEWAY_WRITES_PER_CREDENTIAL");
        assertThatThrownBy(() -> settings(Map.of("KMS_GATEWAY_WRITE_QUEUE_WAIT_MS", "-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KMS_GATEWAY_WRITE_QUEUE_WAIT_MS");
    }

    @Test
    void theGeneratedJwtSecretFileIsOwnerOnly() throws IOException {
        String secret = settings(Map.of()).jwtHmacSecret();

        Path file = dataDir.resolve("jwt-hmac-secret");
        assertThat(Files.readString(file)).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void anExistingWorldReadableJwtSecretFileIsTightenedAndKept() throws IOException {
        Path file = dataDir.resolve("jwt-hmac-secret");
        Files.writeString(file, "an-existing-secret-of-at-least-32-bytes-0123");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(settings(Map.of()).jwtHmacSecret()).isEqualTo("an-existing-secret-of-at-least-32-bytes-0123");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void theTransparencySigningKeyIsMadeOncePerDataDirectoryOwnerOnlyUnlessConfigured() throws IOException {
        String key = settings(Map.of()).transparencySigningKey();

        Path file = dataDir.resolve("transparency-signing-key");
        assertThat(Files.readString(file)).isEqualTo(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(NoteSigner.parse(key).name()).isEqualTo(LocalStackSettings.TRANSPARENCY_ORIGIN);
        assertThat(settings(Map.of()).transparencySigningKey()).as("kept across restarts").isEqualTo(key);
        String configured = NoteSigner.generate("example.com/log");
        assertThat(settings(Map.of("KMS_TRANSPARENCY_SIGNING_KEY", configured)).transparencySigningKey())
                .isEqualTo(configured);
    }

    @Test
    void theWebhookMasterKeyIsMadeOncePerDataDirectoryOwnerOnlyUnlessConfigured() throws IOException {
        String key = settings(Map.of()).webhookSecretKey();

        Path file = dataDir.resolve("webhook-secret-key");
        assertThat(Files.readString(file)).isEqualTo(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(key.length()).as("the query service asks for at least 32 characters").isGreaterThanOrEqualTo(32);
        assertThat(settings(Map.of()).webhookSecretKey()).as("kept across restarts").isEqualTo(key);
        assertThat(key).isNotEqualTo(settings(Map.of()).jwtHmacSecret());
        String configured = "a-configured-webhook-master-key-0123456789";
        assertThat(settings(Map.of("KMS_WEBHOOKS_SECRET_KEY", configured)).webhookSecretKey()).isEqualTo(configured);
    }

    private LocalStackSettings settings(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("KMS_DATA_DIR", dataDir.toString());
        return LocalStackSettings.from(all);
    }
}

package com.hsrcpay.apikeys.command.key.revocation;

import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Whether {@code api-key-revocations} exists, asked of an admin client, which (unlike a producer's metadata request)
 * never has the broker create a topic. Each question waits at most a second.
 */
final class RevocationTopic implements BooleanSupplier, AutoCloseable {

    private final Admin admin;

    RevocationTopic(String bootstrapServers) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "command-service-revocation-topic",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000));
    }

    @Override
    public boolean getAsBoolean() {
        try {
            admin.describeTopics(List.of(KeyRevocation.TOPIC)).allTopicNames().get(1, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}

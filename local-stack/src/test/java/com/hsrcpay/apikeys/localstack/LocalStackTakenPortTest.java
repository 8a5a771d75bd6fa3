package com.hsrcpay.apikeys.localstack;

import com.hsrcpay.apikeys.embedded.Ports;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A port asked for and taken (a second stack on the defaults, another program) is refused before anything starts, by
 * its variable's name: no PostgreSQL initialised, no broker, no service context, so the refusal comes in a moment.
 */
class LocalStackTakenPortTest {

    private static final List<String> PORTS =
            List.of("KMS_PORT", "KMS_COMMAND_PORT", "KMS_QUERY_PORT", "KMS_KAFKA_PORT");

    @TempDir
    Path dataDir;

    static List<String> ports() {
        return PORTS;
    }

    @ParameterizedTest
    @MethodSource("ports")
    void aTakenPortIsRefusedByNameBeforeAnythingStarts(String variable) throws IOException {
        try (ServerSocket taken = new ServerSocket(Ports.freePort(), 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = new HashMap<>(Map.of("KMS_DATA_DIR", dataDir.toString()));
            PORTS.forEach(name -> env.put(name, "0"));
            env.put(variable, Integer.toString(taken.getLocalPort()));
            LocalStack stack = new LocalStack(LocalStackSettings.from(env));
            try {
                assertThatThrownBy(stack::start).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("(" + variable + ")")
                        .hasMessageContaining("port " + taken.getLocalPort() + " is already in use");
            } finally {
                stack.close();
            }
        }
        assertThat(dataDir.resolve("postgres")).as("PostgreSQL was never initialised").doesNotExist();
        assertThat(dataDir.resolve("kafka")).as("the broker never started").doesNotExist();
    }
}

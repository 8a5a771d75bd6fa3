package com.hsrcpay.apikeys.localstack;

import com.hsrcpay.apikeys.command.CommandServiceApplication;
import com.hsrcpay.apikeys.embedded.DurablePostgres;
import com.hsrcpay.apikeys.embedded.InProcessKafka;
import com.hsrcpay.apikeys.embedded.Ports;
import com.hsrcpay.apikeys.localstack.gateway.ApiGateway;
import com.hsrcpay.apikeys.localstack.gateway.GatewaySettings;
import com.hsrcpay.apikeys.query.QueryServiceApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system in one JVM with nothing installed but a JDK: a real PostgreSQL (data kept in KMS_DATA_DIR),
 * an in-process Kafka broker on KMS_KAFKA_PORT, the command and query services (on loopback ports KMS_COMMAND_PORT
 * and KMS_QUERY_PORT, internal: their actuator and the replay endpoint, for the operator), and one API port
 * (KMS_PORT, on KMS_BIND_ADDRESS).
 * Ctrl-C stops everything in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final LocalStackSettings settings;
    private int apiPort;
    private int commandPort;
    private int queryPort;

    LocalStack(LocalStackSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        LocalStack stack = new LocalStack(LocalStackSettings.from(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "kms-local-stack-shutdown"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            log.error("The local stack could not start: {}", e.getMessage(), e);
            stack.close();
            System.exit(1);
        }
    }

    void start() {
        long started = System.nanoTime();
        refuseTakenPorts();
        DurablePostgres postgres = keep(DurablePostgres.start(settings.dataDir(), settings.postgresPort()));
        InProcessKafka kafka = keep(InProcessKafka.start(settings.dataDir(), settings.kafkaPort()));
        List<String> common = List.of(
                // internal: only the gateway (same machine) calls them, and it is the only proxy they trust
                "--server.address=" + GatewaySettings.LOOPBACK,
                "--kms.http.trusted-proxies=127.0.0.1/32,::1/128",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--kms.auth.jwt.hmac-secret=" + settings.jwtHmacSecret());
        ConfigurableApplicationContext command = keepContext(
                new SpringApplicationBuilder(CommandServiceApplication.class).registerShutdownHook(false)
                        .run(withPort(common, settings.commandPort(), "command-service (KMS_COMMAND_PORT)")));
        List<String> queryArguments = new ArrayList<>(List.of(withPort(common, settings.queryPort(),
                "query-service (KMS_QUERY_PORT)")));
        queryArguments.add("--kms.transparency.signing-key=" + settings.transparencySigningKey());
        queryArguments.add("--kms.webhooks.secret-key=" + settings.webhookSecretKey());
        // the local profile: webhooks may go to http://localhost and http://127.0.0.1 (a receiver on this machine)
        queryArguments.add("--kms.webhooks.allow-local-targets=true");
        ConfigurableApplicationContext query = keepContext(QueryServiceApplication.builder().registerShutdownHook(false)
                .run(queryArguments.toArray(String[]::new)));
        commandPort = port(command);
        queryPort = port(query);
        ApiGateway gateway = keep(ApiGateway.start(settings.gateway(),
                URI.create("http://" + GatewaySettings.LOOPBACK + ":" + commandPort),
                URI.create("http://" + GatewaySettings.LOOPBACK + ":" + queryPort)));
        apiPort = gateway.port();

        String live = DevTokens.mint(settings.jwtHmacSecret(), "live");
        String sandbox = DevTokens.mint(settings.jwtHmacSecret(), "test");
        Path liveFile = writeToken("dev-token", live);
        writeToken("dev-token-test", sandbox);
        Path operatorFile = writeToken("dev-token-operator", DevTokens.mintOperator(settings.jwtHmacSecret()));
        log.info("KMS local stack ready in {} ms at http://{}:{} (PostgreSQL {}, Kafka {}, command-service on "
                        + "port {}, query-service on port {}). Dev token for {} (live; sandbox token in {}-test): "
                        + "export KMS_TOKEN=$(cat {}); operator token (metrics on both service ports, replay on the "
                        + "query service's): {}",
                (System.nanoTime() - started) / 1_000_000, displayHost(settings.gateway().bindAddress()), apiPort,
                postgres.jdbcUrl(), kafka.bootstrapServers(), commandPort, queryPort, DevTokens.ACCOUNT, liveFile,
                liveFile, operatorFile);
    }

    /**
     * Every port asked for is checked before anything starts, so a taken one (a second stack on the defaults, say) is
     * refused at once by its variable's name, not after PostgreSQL, Kafka and both services have started. The API
     * port is checked here only where it listens on loopback too; on another address the gateway's bind says so.
     */
    private void refuseTakenPorts() {
        Map<String, Integer> asked = new LinkedHashMap<>();
        if (listensOnLoopback(settings.gateway().bindAddress())) {
            asked.put("the API port (KMS_PORT)", settings.gateway().port());
        }
        asked.put("command-service (KMS_COMMAND_PORT)", settings.commandPort());
        asked.put("query-service (KMS_QUERY_PORT)", settings.queryPort());
        asked.put("Kafka (KMS_KAFKA_PORT)", settings.kafkaPort());
        // not KMS_PG_PORT: after a kill -9 the old postmaster of this data directory still holds it, and
        // DurablePostgres stops that one before it starts (ProcessLifecycleResilienceIT restarts so)
        asked.forEach((what, port) -> {
            if (port != 0) {
                Ports.freeOrRequested(port, what);
            }
        });
    }

    private static boolean listensOnLoopback(String bindAddress) {
        try {
            InetAddress address = InetAddress.getByName(bindAddress);
            return address.isLoopbackAddress() || address.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The arguments of one service with its own port: a port asked for is checked first, so a taken one is refused
     * by the variable's name; 0 is left to the web server to pick.
     */
    private static String[] withPort(List<String> common, int port, String what) {
        int checked = port == 0 ? 0 : Ports.freeOrRequested(port, what);
        List<String> arguments = new ArrayList<>(common);
        arguments.add("--server.port=" + checked);
        return arguments.toArray(String[]::new);
    }

    /** Where to point a browser: "localhost" for loopback or every interface, else the one address bound. */
    private static String displayHost(String bindAddress) {
        return listensOnLoopback(bindAddress) ? "localhost" : bindAddress;
    }

    public int apiPort() {
        return apiPort;
    }

    int commandPort() {
        return commandPort;
    }

    int queryPort() {
        return queryPort;
    }

    private Path writeToken(String name, String token) {
        Path file = settings.dataDir().resolve(name);
        try {
            OwnerOnlyFiles.write(file, token + System.lineSeparator());
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write " + file, e);
        }
    }

    private <T extends AutoCloseable> T keep(T component) {
        running.push(component);
        return component;
    }

    private ConfigurableApplicationContext keepContext(ConfigurableApplicationContext context) {
        running.push(context::close);
        return context;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public synchronized void close() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                log.warn("A component did not stop cleanly: {}", e.getMessage());
            }
        }
    }
}

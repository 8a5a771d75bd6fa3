package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.query.webhook.model.DeliveryTargets;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS of the webhook client with its own resolver in between: the certificate is checked against the URL's host name,
 * not against the address the resolver handed the connection. A receiver on loopback holds a certificate for
 * {@code localhost} only (made with the JDK's keytool), trusted by the client under test.
 */
class DeliveryHttpTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    private HttpsServer server;
    private SSLContext clientTls;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        Path keystore = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "san=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String host) {
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + "/hook");
    }

    @Test
    void theCertificateMustNameTheUrlsHostWhateverAddressTheResolverGave() throws Exception {
        try (DeliveryHttp http = new DeliveryHttp(HostResolver.system(), new DeliveryTargets(true), 5000, 2,
                clientTls)) {
            assertThat(http.post(url("localhost"), Map.of(), "{}".getBytes())).isEqualTo(200);
            // the same receiver, the same address, but a URL naming 127.0.0.1: the certificate does not name it
            assertThatThrownBy(() -> http.post(url("127.0.0.1"), Map.of(), "{}".getBytes()))
                    .isInstanceOf(SSLException.class).hasMessageContaining("127.0.0.1");
        }
        assertThat(requests).as("only the verified connection carried a request").hasValue(1);
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        try (DeliveryHttp http = new DeliveryHttp(HostResolver.system(), new DeliveryTargets(true), 5000, 2)) {
            assertThatThrownBy(() -> http.post(url("localhost"), Map.of(), "{}".getBytes()))
                    .isInstanceOf(SSLException.class);
        }
        assertThat(requests).hasValue(0);
    }
}

package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.query.webhook.model.DeliveryTargets;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The POST of one delivery attempt, on Apache HttpClient 5: its DNS is {@link TargetCheckingResolver} (the target
 * rules applied to the addresses the connection then uses); TLS verifies the certificate against the URL's host name
 * and sends it as SNI (the client's defaults, the name never replaced by the address); no redirects, no automatic
 * retries, no cookies, no proxy; the response body is never read and the connection never reused. Bounded: at most
 * {@code timeoutMs} from the start of the connection to the response's headers (a deadline that aborts the request,
 * on top of the connect and read timeouts). The name lookup itself is the system resolver's, bounded by its own
 * configuration.
 */
final class DeliveryHttp implements AutoCloseable {

    private static final ContentType JSON = ContentType.create("application/json");

    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;
    private final long timeoutMs;

    DeliveryHttp(HostResolver resolver, DeliveryTargets targets, long timeoutMs, int maxConnections) {
        this(resolver, targets, timeoutMs, maxConnections, SSLContexts.createDefault());
    }

    /** With the trust of {@code tls} (the JDK's default trust store in production; a test's own certificate). */
    DeliveryHttp(HostResolver resolver, DeliveryTargets targets, long timeoutMs, int maxConnections, SSLContext tls) {
        this.timeoutMs = timeoutMs;
        Timeout timeout = Timeout.ofMilliseconds(timeoutMs);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new TargetCheckingResolver(resolver, targets))
                        // the certificate must name the URL's host: checked by JSSE and by the client, both
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls, HostnameVerificationPolicy.BOTH,
                                HttpsSupport.getDefaultHostnameVerifier()))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnections)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout).setResponseTimeout(timeout).build())
                .setConnectionReuseStrategy((request, response, context) -> false)
                .setUserAgent("api-key-service-webhooks") // not the library's name and version
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "webhook-deadline");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The status the target answered {@code body} with. Throws {@link TargetCheckingResolver.RefusedTarget} when the
     * host's addresses are refused (no connection was made), {@link DeadlineExceeded} past the bound, another
     * {@link IOException} for what the network did.
     */
    int post(URI uri, Map<String, String> headers, byte[] body) throws IOException {
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, JSON));
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            expired.set(true);
            post.cancel();
        }, timeoutMs, TimeUnit.MILLISECONDS);
        try (ClassicHttpResponse response = client.executeOpen(null, post, null)) {
            return response.getCode(); // closed unread: a receiver cannot make us hold its answer
        } catch (IOException e) {
            if (expired.get() || e instanceof InterruptedIOException) { // connect and read timeouts included
                throw new DeadlineExceeded(e);
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }

    /** The attempt ran into its bound (the deadline, or the connect or read timeout). */
    static final class DeadlineExceeded extends IOException {

        DeadlineExceeded(IOException cause) {
            super("deadline exceeded", cause);
        }
    }
}

package com.hsrcpay.apikeys.localstack.gateway;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The gateway's client to the services: Apache HttpClient 5's classic (blocking) client over a pool of kept-alive
 * connections. Blocking on the request's own Tomcat thread costs one thread per request in flight, which Tomcat has
 * already, and nothing else: the JDK's HttpClient handed every exchange to a selector thread and a worker pool and
 * back (27 % of the stack's CPU under {@code CpuProfileBenchmark gateway-whoami}, against the service's 46 %).
 *
 * <p>Everything a client library does on its own is off, because the gateway forwards what it is given and nothing
 * more: no retries (a write must never be sent twice), no redirects, no decompression, no cookies, no User-Agent of
 * its own.
 */
final class ServiceConnections {

    /** More than the gateway's Tomcat threads (200): a request never waits for a connection to a service. */
    private static final int PER_SERVICE = 256;
    /** A kept-alive connection idle this long is checked before reuse (a service may have closed it meanwhile). */
    private static final TimeValue CHECK_AFTER_IDLE = TimeValue.ofSeconds(1);
    /** Idle connections are closed well before a service's own keep-alive timeout (Tomcat's: 20 s). */
    private static final TimeValue CLOSE_AFTER_IDLE = TimeValue.ofSeconds(10);

    private ServiceConnections() {
    }

    /**
     * A client whose connect waits at most {@code connectTimeout} and whose every read of an answer (the headers, then
     * each piece of a streamed body) waits at most {@code upstreamTimeout}: the bound is on silence, not on the whole
     * answer, so an export may stream for as long as it keeps sending.
     */
    static CloseableHttpClient open(GatewaySettings settings) {
        Timeout silence = Timeout.of(settings.upstreamTimeout());
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(PER_SERVICE)
                .setMaxConnTotal(2 * PER_SERVICE)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(silence)
                        .setValidateAfterInactivity(CHECK_AFTER_IDLE)
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(settings.connectTimeout()))
                        .setResponseTimeout(silence)
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .disableDefaultUserAgent()
                .evictIdleConnections(CLOSE_AFTER_IDLE)
                .build();
    }
}

package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import com.hsrcpay.apikeys.edge.openapi.WholeApiDocument;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.coyote.CloseNowException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.io.CloseMode;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Routes one request ({@link Route}) and streams it to its service and the answer back. */
final class ProxyServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ProxyServlet.class);

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
    /** Set by the client from the target and the body (it refuses a request that carries them already). */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "expect");
    /** What a client claims about addresses before this gateway: replaced by what the gateway saw, never passed on. */
    private static final Set<String> FORWARDING = Set.of("forwarded", "x-real-ip");
    private static final String X_FORWARDED = "x-forwarded-";
    private static final int COPY_BUFFER = 16 * 1024;
    private static final int READ_AHEAD = 256 * 1024;

    private final transient GatewaySettings settings;
    private final transient Map<Route, URI> services;
    private final transient ErrorResponses errors;
    private final transient CloseableHttpClient client;
    private final transient WholeApiDocument wholeApi;
    private final transient WriteTurns writeTurns;

    ProxyServlet(GatewaySettings settings, Map<Route, URI> services, ErrorResponses errors) {
        this.settings = settings;
        this.services = Map.copyOf(services);
        this.errors = errors;
        this.client = ServiceConnections.open(settings);
        this.wholeApi = new WholeApiDocument();
        this.writeTurns = new WriteTurns(settings.writeTurns());
    }

    @Override
    public void destroy() {
        client.close(CloseMode.GRACEFUL);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        Optional<ApiError> refused = PathRules.refusal(path);
        if (refused.isPresent()) {
            errors.write(request, response, refused.get());
            return;
        }
        Optional<Route> route = Route.of(request.getMethod(), path);
        if (route.isEmpty()) {
            errors.write(request, response, ApiError.ofStatus(404));
        } else if (route.get() == Route.WHOLE_API_DOCUMENT) {
            mergedApiDocs(request, response);
        } else if (route.get() == Route.COMMAND) {
            forwardInTurn(request, response, services.get(Route.COMMAND));
        } else {
            forward(request, response, services.get(route.get()));
        }
    }

    /** A write waits for one of its credential's turns ({@link WriteTurns}) and holds it until it is answered. */
    private void forwardInTurn(HttpServletRequest request, HttpServletResponse response, URI service)
            throws IOException {
        WriteTurns.Turn turn;
        try {
            turn = writeTurns.await(request.getHeader("Authorization"), request.getRemoteAddr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.write(request, response, ApiError.ofStatus(503));
            return;
        }
        if (turn == null) {
            response.setHeader("Retry-After", Integer.toString(WriteTurns.RETRY_AFTER_SECONDS));
            errors.write(request, response, new ApiError(429, "too_many_concurrent_writes",
                    "Too many writes of this credential in progress; retry after the Retry-After delay",
                    Map.of("retry_after_seconds", WriteTurns.RETRY_AFTER_SECONDS)));
            return;
        }
        try (turn) {
            forward(request, response, service);
        }
    }

    private void forward(HttpServletRequest request, HttpServletResponse response, URI service) throws IOException {
        Optional<String> unsendable = headerNotSendableAsItCame(request);
        if (unsendable.isPresent()) {
            errors.write(request, response, ApiError.invalidField(unsendable.get(), "invalid_header",
                    "Header '" + unsendable.get() + "' holds characters other than visible ASCII"));
            return;
        }
        ClientBody body = new ClientBody(request.getInputStream());
        HttpUriRequestBase upstream;
        try {
            upstream = upstreamRequest(request, service, body);
        } catch (IllegalArgumentException e) {
            // a target the gateway will not send (Tomcat let it through)
            errors.write(request, response, ApiError.rejectedRequest());
            return;
        } catch (IOException e) {
            errors.write(request, response, unreadableBody());
            return;
        }
        ClassicHttpResponse answer;
        try {
            answer = client.executeOpen(null, upstream, null);
        } catch (IOException e) {
            upstream.cancel();
            if (body.failed) {
                errors.write(request, response, unreadableBody());
            } else if (isTimeout(e)) {
                log.warn("{} did not answer {} {} within {} ms", service.getAuthority(), request.getMethod(),
                        upstream.getRequestUri(), settings.upstreamTimeout().toMillis());
                errors.write(request, response, upstreamTimeout());
            } else {
                log.warn("{} did not answer: {}", service.getAuthority(), e.toString());
                errors.write(request, response, upstreamUnavailable());
            }
            return;
        }
        boolean whole = false;
        try {
            copyAnswer(request, response, upstream, answer);
            whole = true;
        } finally {
            if (!whole) {
                // never drain what is left of a broken or silent answer: drop the connection instead
                upstream.cancel();
            }
            closeQuietly(answer, whole);
        }
    }

    private static boolean isTimeout(IOException e) {
        // ConnectTimeoutException is a SocketTimeoutException too
        return e instanceof SocketTimeoutException || e instanceof ConnectionRequestTimeoutException;
    }

    private static void closeQuietly(ClassicHttpResponse answer, boolean whole) throws IOException {
        try {
            answer.close();
        } catch (IOException e) {
            if (whole) {
                throw e;
            }
            // the exchange was cancelled: its connection is gone already
        }
    }

    private HttpUriRequestBase upstreamRequest(HttpServletRequest request, URI service, ClientBody body)
            throws IOException {
        HttpUriRequestBase forward = new HttpUriRequestBase(request.getMethod(),
                upstreamUri(service, request.getRequestURI(), request.getQueryString()));
        Set<String> connectionOptions = connectionOptions(request.getHeaders("Connection"));
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !SET_BY_CLIENT.contains(lower) && !FORWARDING.contains(lower)
                    && !lower.startsWith(X_FORWARDED) && !connectionOptions.contains(lower)) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    forward.addHeader(name, value);
                }
            }
        }
        // what this gateway saw, in place of whatever the client claimed
        forward.addHeader("X-Forwarded-For", request.getRemoteAddr());
        forward.addHeader("X-Forwarded-Proto", request.getScheme());
        forward.addHeader("X-Forwarded-Host", request.getServerName());
        forward.addHeader("X-Forwarded-Port", Integer.toString(request.getLocalPort()));
        bodyOf(request, body).ifPresent(forward::setEntity);
        return forward;
    }

    /**
     * The first header with a character outside visible ASCII, space and tab: the JDK client writes header values as
     * ASCII (anything else becomes '?'), so such a request would reach the service changed; it is refused instead.
     */
    private static Optional<String> headerNotSendableAsItCame(HttpServletRequest request) {
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                if (!(isSendable(name) && isSendable(value))) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isSendable(String text) {
        return text.chars().allMatch(c -> c == '\t' || c >= 0x20 && c < 0x7f);
    }

    /**
     * The service's base URI with the client's path and query appended as text: the path starts with a single "/"
     * ({@link PathRules}), so it can never become an authority, and the result is checked to name the service.
     */
    static URI upstreamUri(URI service, String path, String query) {
        URI target = URI.create(service.getScheme() + "://" + service.getRawAuthority() + path
                + (query == null ? "" : "?" + query));
        if (!service.getScheme().equals(target.getScheme()) || !service.getRawAuthority().equals(target.getRawAuthority())) {
            throw new IllegalArgumentException("The request target would leave the service");
        }
        return target;
    }

    private static Set<String> connectionOptions(Enumeration<String> values) {
        Set<String> options = new HashSet<>();
        for (String value : Collections.list(values)) {
            for (String option : value.split(",")) {
                options.add(option.trim().toLowerCase(Locale.ROOT));
            }
        }
        return options;
    }

    /**
     * The client's body: read whole before the service is contacted when it is at most {@link #READ_AHEAD} (every body
     * this API takes is far smaller: the services refuse more than 64 KiB), so a body that breaks off or is malformed
     * is refused here and never reaches a service; a longer one is streamed on after its first part.
     */
    private static Optional<HttpEntity> bodyOf(HttpServletRequest request, ClientBody body) throws IOException {
        long length = request.getContentLengthLong();
        if (length <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return Optional.empty();
        }
        byte[] ahead = body.readNBytes(READ_AHEAD + 1);
        if (ahead.length <= READ_AHEAD) {
            return Optional.of(new ByteArrayEntity(ahead, null));
        }
        return Optional.of(new InputStreamEntity(new SequenceInputStream(new ByteArrayInputStream(ahead), body),
                length > 0 ? length : -1, null));
    }

    private void copyAnswer(HttpServletRequest request, HttpServletResponse response, HttpUriRequestBase upstream,
                            ClassicHttpResponse answer) throws IOException {
        response.setStatus(answer.getCode());
        for (Header header : answer.getHeaders()) {
            String name = header.getName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.equals("content-length")) {
                response.addHeader(name, lower.equals("location") ? withoutService(header.getValue()) : header.getValue());
            }
        }
        HttpEntity entity = answer.getEntity();
        if (entity == null) {
            return;
        }
        if (entity.getContentLength() >= 0) {
            response.setContentLengthLong(entity.getContentLength());
        }
        // a stream (the NDJSON audit export) is passed on piece by piece as it arrives; any other answer goes out
        // when Tomcat's buffer is full or the answer ends, in one write for the small answers this API gives
        boolean stream = isStream(answer);
        InputStream in = entity.getContent();
        OutputStream out = response.getOutputStream();
        byte[] buffer = new byte[COPY_BUFFER];
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (IOException e) {
                serviceBrokeOff(request, response, upstream, e);
                return;
            }
            if (read < 0) {
                return;
            }
            out.write(buffer, 0, read);
            if (stream && in.available() <= 0) {
                out.flush();
            }
        }
    }

    private static boolean isStream(ClassicHttpResponse answer) {
        Header type = answer.getFirstHeader("Content-Type");
        return type != null && type.getValue().toLowerCase(Locale.ROOT).startsWith("application/x-ndjson");
    }

    /** The service fell silent for the whole bound, or its connection broke, in the middle of its answer. */
    private void serviceBrokeOff(HttpServletRequest request, HttpServletResponse response, HttpUriRequestBase upstream,
                                 IOException failure) throws IOException {
        upstream.cancel();
        boolean silent = failure instanceof SocketTimeoutException;
        if (silent) {
            log.warn("{} fell silent in its answer to {} {}: {}", upstream.getAuthority(), request.getMethod(),
                    upstream.getRequestUri(), failure.getMessage());
        } else {
            log.warn("{} broke off its answer to {} {}: {}", upstream.getAuthority(), request.getMethod(),
                    upstream.getRequestUri(), failure.toString());
        }
        if (!response.isCommitted()) {
            response.reset();
            errors.write(request, response, silent ? upstreamTimeout() : upstreamUnavailable());
            return;
        }
        // half an answer: the client must see a broken response, not an ending one
        throw new CloseNowException(failure.getMessage(), failure);
    }

    /**
     * A Location naming a service's own address (scheme, host and port) is made relative, so no answer of this port
     * names an internal port; any other Location is left as it is.
     */
    private String withoutService(String location) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            return location;
        }
        if (!uri.isAbsolute() || services.values().stream().noneMatch(service -> sameServer(service, uri))) {
            return location;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    }

    private static boolean sameServer(URI service, URI uri) {
        String host = uri.getHost();
        return host != null && uri.getPort() == service.getPort()
                && (host.equalsIgnoreCase(service.getHost()) || isLoopback(host) && isLoopback(service.getHost()));
    }

    private static boolean isLoopback(String host) {
        return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    private static ApiError unreadableBody() {
        return ApiError.of(400, "unreadable_body", "The request body could not be read");
    }

    private static ApiError upstreamTimeout() {
        return ApiError.of(504, "upstream_timeout", "The service did not answer in time");
    }

    private static ApiError upstreamUnavailable() {
        return ApiError.of(502, "upstream_unavailable", "Service unavailable");
    }

    /** The one document of the whole API: each service's own {@code /v3/api-docs}, merged. */
    private void mergedApiDocs(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] merged;
        try {
            merged = wholeApi.fetch(List.of(services.get(Route.COMMAND), services.get(Route.QUERY)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.write(request, response, ApiError.ofStatus(503));
            return;
        } catch (IOException e) {
            log.warn("API docs unavailable: {}", e.getMessage());
            errors.write(request, response, upstreamUnavailable());
            return;
        }
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(merged.length);
        response.getOutputStream().write(merged);
    }

    /** The client's request body, remembering whether reading it failed (a malformed chunk, a client gone). */
    private static final class ClientBody extends FilterInputStream {
        private volatile boolean failed;

        ClientBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}

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

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Flow;

/** Routes one request ({@link Route}) and streams it to its service and the answer back. */
final class ProxyServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ProxyServlet.class);

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
    /** Set by the JDK client itself from the target and the body (it refuses them from the caller). */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "expect");
    /** What a client claims about addresses before this gateway: replaced by what the gateway saw, never passed on. */
    private static final Set<String> FORWARDING = Set.of("forwarded", "x-real-ip");
    private static final String X_FORWARDED = "x-forwarded-";

    private final transient GatewaySettings settings;
    private final transient Map<Route, URI> services;
    private final transient ErrorResponses errors;
    private final transient HttpClient client;
    private final transient WholeApiDocument wholeApi;
    private final transient WriteTurns writeTurns;

    ProxyServlet(GatewaySettings settings, Map<Route, URI> services, ErrorResponses errors) {
        this.settings = settings;
        this.services = Map.copyOf(services);
        this.errors = errors;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.wholeApi = new WholeApiDocument(client);
        this.writeTurns = new WriteTurns(settings.writeTurns());
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
        HttpRequest upstream;
        try {
            upstream = upstreamRequest(request, service, body);
        } catch (IllegalArgumentException e) {
            // a target or header the JDK client will not send (Tomcat let it through)
            errors.write(request, response, ApiError.rejectedRequest());
            return;
        }
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> answer;
        try {
            answer = client.send(upstream, HttpResponse.BodyHandlers.ofPublisher());
        } catch (HttpTimeoutException e) {
            log.warn("{} did not answer {} {} within {} ms", service.getAuthority(), request.getMethod(),
                    upstream.uri().getRawPath(), settings.upstreamTimeout().toMillis());
            errors.write(request, response, ApiError.of(504, "upstream_timeout", "The service did not answer in time"));
            return;
        } catch (IOException e) {
            if (body.failed) {
                errors.write(request, response, ApiError.of(400, "unreadable_body", "The request body could not be read"));
            } else {
                log.warn("{} did not answer: {}", service.getAuthority(), e.toString());
                errors.write(request, response, upstreamUnavailable());
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.write(request, response, ApiError.ofStatus(503));
            return;
        }
        copyAnswer(request, response, answer);
    }

    private HttpRequest upstreamRequest(HttpServletRequest request, URI service, ClientBody body) {
        HttpRequest.Builder forward = HttpRequest.newBuilder(upstreamUri(service, request.getRequestURI(),
                request.getQueryString())).timeout(settings.upstreamTimeout());
        Set<String> connectionOptions = connectionOptions(request.getHeaders("Connection"));
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !SET_BY_CLIENT.contains(lower) && !FORWARDING.contains(lower)
                    && !lower.startsWith(X_FORWARDED) && !connectionOptions.contains(lower)) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    forward.header(name, value);
                }
            }
        }
        // what this gateway saw, in place of whatever the client claimed
        forward.header("X-Forwarded-For", request.getRemoteAddr());
        forward.header("X-Forwarded-Proto", request.getScheme());
        forward.header("X-Forwarded-Host", request.getServerName());
        forward.header("X-Forwarded-Port", Integer.toString(request.getLocalPort()));
        return forward.method(request.getMethod(), bodyOf(request, body)).build();
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

    private static HttpRequest.BodyPublisher bodyOf(HttpServletRequest request, ClientBody body) {
        long length = request.getContentLengthLong();
        if (length <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> body);
        return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
    }

    private void copyAnswer(HttpServletRequest request, HttpServletResponse response,
                            HttpResponse<Flow.Publisher<List<ByteBuffer>>> answer) throws IOException {
        IdleBoundedBody body = new IdleBoundedBody();
        answer.body().subscribe(body);
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.equals("content-length") && !name.startsWith(":")) {
                values.forEach(value -> response.addHeader(name, lower.equals("location") ? withoutService(value) : value));
            }
        });
        answer.headers().firstValueAsLong("content-length").ifPresent(response::setContentLengthLong);
        try {
            body.copyTo(response.getOutputStream(), settings.upstreamTimeout());
        } catch (HttpTimeoutException e) {
            log.warn("{} fell silent in its answer to {} {}: {}", answer.uri().getAuthority(), request.getMethod(),
                    answer.uri().getRawPath(), e.getMessage());
            if (!response.isCommitted()) {
                response.reset();
                errors.write(request, response, ApiError.of(504, "upstream_timeout", "The service did not answer in time"));
                return;
            }
            // half an answer: the client must see a broken response, not an ending one
            throw new CloseNowException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloseNowException("Interrupted", e);
        }
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

package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.edge.openapi.WholeApiDocument;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one API port of the local stack: a small streaming reverse proxy (embedded Tomcat + JDK HttpClient)
 * in front of the command and query services, so clients see a single base URL as they would behind the
 * production gateway.
 */
public final class ApiGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiGateway.class);
    // hop-by-hop headers, and those the JDK client sets itself
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect");

    private final Tomcat tomcat;

    private ApiGateway(Tomcat tomcat) {
        this.tomcat = tomcat;
    }

    public static ApiGateway start(int port, Map<Route, URI> upstreams) {
        try {
            Path baseDir = Files.createTempDirectory("kms-gateway");
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", "0.0.0.0");
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", baseDir.toString());
            Tomcat.addServlet(context, "gateway", new ProxyServlet(new EnumMap<>(upstreams)));
            context.addServletMappingDecoded("/*", "gateway");
            tomcat.start();
            return new ApiGateway(tomcat);
        } catch (IOException | LifecycleException e) {
            throw new IllegalStateException("The API port " + port + " could not be opened (in use?)", e);
        }
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            log.warn("Gateway did not stop cleanly", e);
        }
    }

    private static final class ProxyServlet extends HttpServlet {
        private static final String API_DOCS = WholeApiDocument.SERVICE_DOCS_PATH;
        private final Map<Route, URI> upstreams;
        private final transient HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private final transient WholeApiDocument wholeApi = new WholeApiDocument(client);

        ProxyServlet(Map<Route, URI> upstreams) {
            this.upstreams = upstreams;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String method = request.getMethod();
            String path = request.getRequestURI();
            String query = request.getQueryString();
            if ("GET".equals(method) && API_DOCS.equals(path)) {
                mergedApiDocs(response);
                return;
            }
            URI target = upstreams.get(Route.of(method, path)).resolve(path + (query == null ? "" : "?" + query));
            HttpRequest.Builder forward = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(10));
            for (String name : Collections.list(request.getHeaderNames())) {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    for (String value : Collections.list(request.getHeaders(name))) {
                        forward.header(name, value);
                    }
                }
            }
            forward.header("X-Forwarded-For", request.getRemoteAddr());
            boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
            InputStream body = request.getInputStream();
            forward.method(method, hasBody ? HttpRequest.BodyPublishers.ofInputStream(() -> body)
                    : HttpRequest.BodyPublishers.noBody());
            HttpResponse<InputStream> answer;
            try {
                answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.sendError(503);
                return;
            } catch (IOException e) {
                log.warn("Upstream {} did not answer: {}", target.getAuthority(), e.getMessage());
                upstreamUnavailable(response);
                return;
            }
            response.setStatus(answer.statusCode());
            copy(answer, response);
        }

        /** 502 in the services' error envelope: an upstream (or its API document) did not answer. */
        private static void upstreamUnavailable(HttpServletResponse response) throws IOException {
            response.setStatus(502);
            response.setContentType("application/json");
            response.getWriter().write("{\"message\":\"Service unavailable\",\"success\":false,\"error\":{\"code\":502,"
                    + "\"message\":\"Service unavailable\",\"details\":{\"reason\":\"upstream_unavailable\"}}}");
        }

        /** The one document of the whole API: each service's own {@code /v3/api-docs}, merged. */
        private void mergedApiDocs(HttpServletResponse response) throws IOException {
            byte[] merged;
            try {
                merged = wholeApi.fetch(List.of(upstreams.get(Route.COMMAND), upstreams.get(Route.QUERY)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.sendError(503);
                return;
            } catch (IOException e) {
                log.warn("API docs unavailable: {}", e.getMessage());
                upstreamUnavailable(response);
                return;
            }
            response.setStatus(200);
            response.setContentType("application/json");
            response.setContentLength(merged.length);
            response.getOutputStream().write(merged);
        }

        private static void copy(HttpResponse<InputStream> answer, HttpServletResponse response) throws IOException {
            answer.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> response.addHeader(name, v));
                }
            });
            answer.headers().firstValueAsLong("content-length").ifPresent(response::setContentLengthLong);
            try (InputStream in = answer.body(); OutputStream out = response.getOutputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    if (in.available() == 0) {
                        out.flush(); // streamed answers (NDJSON) reach the client as they are produced
                    }
                }
            }
        }
    }
}

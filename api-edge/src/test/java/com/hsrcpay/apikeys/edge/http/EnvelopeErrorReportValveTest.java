package com.hsrcpay.apikeys.edge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The valve on a plain Tomcat: the only error report valve of its host, and what it renders. */
class EnvelopeErrorReportValveTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path baseDir;

    private Tomcat tomcat;

    @BeforeEach
    void start() throws LifecycleException {
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Host host = tomcat.getHost();
        // as Spring Boot does with server.error.include-stacktrace=never, before and after the valve is installed
        host.getPipeline().addValve(new ErrorReportValve());
        EnvelopeErrorReportValve.installOn(host, new ErrorResponses(JSON));
        host.getPipeline().addValve(new ErrorReportValve());
        Context context = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(context, "failing", new Failing());
        context.addServletMappingDecoded("/*", "failing");
        tomcat.start();
    }

    @AfterEach
    void stop() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }

    @Test
    void itIsTheOnlyErrorReportValveOfTheHost() {
        Valve[] valves = tomcat.getHost().getPipeline().getValves();

        assertThat(Arrays.stream(valves).filter(ErrorReportValve.class::isInstance))
                .singleElement().isInstanceOf(EnvelopeErrorReportValve.class);
    }

    @Test
    void aSendErrorIsTheV1EnvelopeWithTheStatusNamedAsReason() throws Exception {
        HttpResponse<String> answer = get("/v1/teapot");

        assertThat(answer.statusCode()).isEqualTo(418);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.at("/error/code").asInt()).isEqualTo(418);
        assertThat(body.at("/error/details/reason").asText()).isEqualTo("i_m_a_teapot");
    }

    @Test
    void underApiV1ItIsTheApplicationsEnvelope() throws Exception {
        HttpResponse<String> answer = get("/api/v1/applications/a/api-keys/b");

        assertThat(answer.statusCode()).isEqualTo(418);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("code").asInt()).isEqualTo(418);
        assertThat(body.path("details").isArray()).isTrue();
        assertThat(body.has("success")).isFalse();
    }

    @Test
    void anEscapedExceptionIs500WithoutItsStackTrace() throws Exception {
        HttpResponse<String> answer = get("/v1/throw");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(answer.body()).at("/error/details/reason").asText()).isEqualTo("internal_error");
        assertThat(answer.body()).doesNotContain("IllegalStateException", "secret detail", "at ", "Tomcat");
        assertThat(answer.headers().firstValue("Server")).isEmpty();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final class Failing extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getRequestURI().endsWith("/throw")) {
                throw new IllegalStateException("secret detail");
            }
            response.sendError(418);
        }
    }
}

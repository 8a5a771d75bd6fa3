package com.hsrcpay.apikeys.localstack.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import com.hsrcpay.apikeys.edge.http.EnvelopeErrorReportValve;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The one API port of the local stack: a small streaming reverse proxy (embedded Tomcat + Apache HttpClient 5, see {@link ServiceConnections}) in front of
 * the command and query services, so clients see a single base URL as they would behind the production gateway.
 * It forwards only the routes of {@link Route} and only paths {@link PathRules} lets through, always to the configured
 * base URI of a service, and answers every error of its own in the API's envelope.
 *
 * <p>Home-made rather than Spring Cloud Gateway Server WebMVC: that is a Spring Boot application of its own (a third
 * application context, DispatcherServlet and router functions in a JVM that already runs two), its defaults append to
 * X-Forwarded-For and add Forwarded, and what this gateway must do beyond proxying (refuse hostile request targets,
 * replace forwarding headers, hide internal ports, bound a streamed body's silence, answer in the envelope) would be
 * filters and configuration of about the size of this proxy, with more per-request work in front of it.
 */
public final class ApiGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiGateway.class);

    /** How long a stop waits for the requests it already accepted (the services' own graceful phase is 20 s). */
    static final Duration DRAIN = Duration.ofSeconds(20);

    private final Tomcat tomcat;
    private final InFlightRequests inFlight;

    private ApiGateway(Tomcat tomcat, InFlightRequests inFlight) {
        this.tomcat = tomcat;
        this.inFlight = inFlight;
    }

    public static ApiGateway start(GatewaySettings settings, URI commandService, URI queryService) {
        ErrorResponses errors = new ErrorResponses(new ObjectMapper());
        try {
            Path baseDir = Files.createTempDirectory("kms-gateway");
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(settings.port());
            connector.setProperty("address", settings.bindAddress());
            EnvelopeErrorReportValve.oneProcessorPerConnection(connector);
            tomcat.setConnector(connector);
            EnvelopeErrorReportValve.installOn(tomcat.getHost(), errors);
            // in the engine, so that the host's error report valve still renders the refusal
            tomcat.getEngine().getPipeline().addValve(new RequestLineGuard());
            InFlightRequests inFlight = new InFlightRequests();
            tomcat.getEngine().getPipeline().addValve(inFlight);
            Context context = tomcat.addContext("", baseDir.toString());
            Tomcat.addServlet(context, "gateway", new ProxyServlet(settings,
                    Map.of(Route.COMMAND, commandService, Route.QUERY, queryService), errors));
            context.addServletMappingDecoded("/*", "gateway");
            tomcat.start();
            // Tomcat logs a connector that cannot bind and starts without it
            if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() <= 0) {
                tomcat.stop();
                tomcat.destroy();
                throw cannotOpen(settings, null);
            }
            return new ApiGateway(tomcat, inFlight);
        } catch (IOException | LifecycleException e) {
            throw cannotOpen(settings, e);
        }
    }

    private static IllegalStateException cannotOpen(GatewaySettings settings, Exception cause) {
        return new IllegalStateException("The API port " + settings.bindAddress() + ":" + settings.port()
                + " could not be opened (in use? not an address of this machine?)", cause);
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    /**
     * Stops gracefully: the listening socket closes first (a new connection is refused, not accepted and reset), the
     * requests already accepted are answered (at most {@link #DRAIN}), then Tomcat stops.
     */
    public void close() {
        try {
            tomcat.getConnector().getProtocolHandler().closeServerSocketGraceful();
            if (!inFlight.awaitNone(DRAIN)) {
                log.warn("Gateway stopping with requests still in flight after {} s", DRAIN.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            log.warn("Gateway did not stop cleanly", e);
        }
    }
}

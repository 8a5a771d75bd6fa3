package com.hsrcpay.apikeys.edge.http;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import jakarta.servlet.ServletException;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import java.io.IOException;
import java.io.Writer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's error report in the API's envelope: what the web server refuses before any application code sees it
 * (a header over the size limit, bad characters in the request line or headers, a bad Content-Length or chunk,
 * TRACE, an unsupported HTTP version) and every {@code sendError} no error page handles. Tomcat's own valve writes an
 * HTML page, with the server version and a stack trace unless told otherwise; this one writes the JSON envelope of
 * the request's path through {@link ErrorResponses}, and nothing else.
 */
public final class EnvelopeErrorReportValve extends ErrorReportValve {

    /**
     * A request attribute holding the {@link ApiError} to report instead of the generic one for the status, for a
     * valve that refuses a request with {@code sendError}.
     */
    public static final String ERROR_ATTRIBUTE = EnvelopeErrorReportValve.class.getName() + ".error";

    private static final ApiError UNSUPPORTED_PROTOCOL = ApiError.of(400, "unsupported_protocol",
            "The request uses a method, transfer coding or HTTP version this server does not support");

    private final ErrorResponses errors;

    private EnvelopeErrorReportValve(ErrorResponses errors) {
        this.errors = errors;
        setShowReport(false);
        setShowServerInfo(false);
    }

    /**
     * Makes this valve the only error report valve of {@code host}: Tomcat adds its own at start unless the host names
     * another class, and Spring Boot adds one more when stack traces are off. Both are removed just before the host
     * starts, after every customizer ran, whatever their order.
     */
    public static void installOn(Host host, ErrorResponses errors) {
        if (host instanceof StandardHost standard) {
            standard.setErrorReportValveClass(EnvelopeErrorReportValve.class.getName());
        }
        host.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                replaceErrorReportValves(host.getPipeline(), errors);
            }
        });
    }

    /**
     * Tomcat 10.1 sets a processor's HTTP/0.9 flag when it has read a request line and never clears it in between, so
     * a processor that once served an HTTP/0.9 request answers a later request whose request line it cannot read
     * without a status line or headers: the envelope would arrive as a bare body. With no processors kept between
     * connections, none carries that flag over (an HTTP/0.9 request ends its connection).
     */
    public static void oneProcessorPerConnection(Connector connector) {
        connector.setProperty("processorCache", "0");
    }

    private static void replaceErrorReportValves(Pipeline pipeline, ErrorResponses errors) {
        boolean installed = false;
        for (Valve valve : pipeline.getValves()) {
            if (valve instanceof EnvelopeErrorReportValve) {
                installed = true;
            } else if (valve instanceof ErrorReportValve) {
                pipeline.removeValve(valve);
            }
        }
        if (!installed) {
            pipeline.addValve(new EnvelopeErrorReportValve(errors));
        }
    }

    /**
     * A request Tomcat refused before the application (TRACE, CONNECT, a bad URI) is reported here at once, not sent
     * through the application's error page: that would run the application's filters on a request already refused
     * (Spring Security's firewall turns a TRACE into a 400 there).
     */
    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (!response.isError()) {
            super.invoke(request, response);
            return;
        }
        response.setSuspended(false);
        report(request, response, null);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as Tomcat's: only an unreported error whose answer has not started and can still be written
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ApiError error = errorFor(request, status);
        response.setStatus(error.status());
        String body = errors.json(request.getRequestURI(), error);
        if (!response.containsHeader(RequestIds.HEADER)) {
            // refused before the application saw it: no id was read or made yet; a fresh one, as for every answer
            response.setHeader(RequestIds.HEADER, "req_" + UUID.randomUUID());
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer could not be written: nothing more to tell anyone
        }
    }

    private static ApiError errorFor(Request request, int status) {
        if (request.getAttribute(ERROR_ATTRIBUTE) instanceof ApiError given && given.status() == status) {
            return given;
        }
        // Tomcat's 501 (CONNECT, an unknown transfer coding) and 505 (HTTP/2.0 or /1.2 in the request line) answer a
        // request the client got wrong: no hostile input is a 5xx
        if (status == 501 || status == 505) {
            return UNSUPPORTED_PROTOCOL;
        }
        return ApiError.ofStatus(status);
    }
}

package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.http.EnvelopeErrorReportValve;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;

import java.io.IOException;

/**
 * Refuses, before any servlet, what a proxy must not honour: {@code CONNECT} (a tunnel; Tomcat says 501),
 * absolute-form targets ({@code GET http://host/path}) and HTTP/0.9 (no headers, no status; Tomcat still answers it).
 * Tomcat accepts absolute-form and hands the servlet only its path, so the form is recognised in the request line
 * itself: an origin-form target directly follows the blank after the method, while Tomcat moves the start of an
 * absolute-form target past its scheme and authority.
 */
final class RequestLineGuard extends ValveBase {

    RequestLineGuard() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        boolean notHttp1OriginForm = !isHttp1(request.getProtocol()) || isAbsoluteForm(request.getCoyoteRequest().requestURI());
        // a request Tomcat refused already keeps Tomcat's status (505 for HTTP/2.0 in the request line)
        if ("CONNECT".equals(request.getMethod()) || !response.isError() && notHttp1OriginForm) {
            request.setAttribute(EnvelopeErrorReportValve.ERROR_ATTRIBUTE, ApiError.rejectedRequest());
            response.sendError(400);
        }
        // on to the host's error report valve, which renders a refusal; a request in error reaches no servlet
        getNext().invoke(request, response);
    }

    private static boolean isHttp1(String protocol) {
        return protocol != null && protocol.startsWith("HTTP/1.");
    }

    private static boolean isAbsoluteForm(MessageBytes target) {
        if (target.getType() != MessageBytes.T_BYTES) {
            return false;
        }
        ByteChunk bytes = target.getByteChunk();
        int start = bytes.getStart();
        return start > 0 && bytes.getBuffer()[start - 1] != ' ' && bytes.getBuffer()[start - 1] != '\t';
    }
}

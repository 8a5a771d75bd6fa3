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
 * Refuses, before any servlet, the request-target forms a proxy must not honour: {@code CONNECT} (a tunnel; Tomcat
 * says 501), and absolute-form ({@code GET http://host/path}). Tomcat accepts absolute-form and hands the servlet
 * only its path, so the form is recognised in the request line itself: an origin-form target directly follows the
 * blank after the method, while Tomcat moves the start of an absolute-form target past its scheme and authority.
 */
final class RequestLineGuard extends ValveBase {

    RequestLineGuard() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if ("CONNECT".equals(request.getMethod()) || isAbsoluteForm(request.getCoyoteRequest().requestURI())) {
            request.setAttribute(EnvelopeErrorReportValve.ERROR_ATTRIBUTE, ApiError.rejectedRequest());
            response.sendError(400);
        }
        // on to the host's error report valve, which renders a refusal; a request in error reaches no servlet
        getNext().invoke(request, response);
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

package com.hsrcpay.apikeys.edge.client;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import java.io.IOException;

/**
 * Sets the request's remote address to the client's ({@link TrustedProxies}) before anything reads it: the
 * brute-force guard, {@code last_used_ip}, access logs. Tomcat's own RemoteIpValve takes regular expressions, not the
 * CIDR list the contract configures, and by default believes every private-network peer.
 */
public final class ClientAddressValve extends ValveBase {

    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private final TrustedProxies trustedProxies;

    public ClientAddressValve(TrustedProxies trustedProxies) {
        super(true);
        this.trustedProxies = trustedProxies;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (response.isError()) {
            // refused by Tomcat while it read the request (a header line it could not read is there without a value):
            // answered as refused, for which no client address is needed
            getNext().invoke(request, response);
            return;
        }
        String peer = request.getRemoteAddr();
        String client = trustedProxies.clientAddress(peer, request.getHeaders(FORWARDED_FOR));
        if (client.equals(peer)) {
            getNext().invoke(request, response);
            return;
        }
        String peerHost = request.getRemoteHost();
        try {
            request.setRemoteAddr(client);
            request.setRemoteHost(client);
            getNext().invoke(request, response);
        } finally {
            // the connector's request object is recycled for the next request on this connection
            request.setRemoteAddr(peer);
            request.setRemoteHost(peerHost);
        }
    }
}

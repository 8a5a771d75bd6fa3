package com.hsrcpay.apikeys.localstack;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests the web server refuses before any application code sees them, as raw bytes; every port must answer each
 * with the envelope of its path ({@code /api/v1/...}: the applications envelope, else the {@code /v1} one), and with a
 * 4xx: what Tomcat calls 501 or 505 (a coding or HTTP version it does not implement) is the client's mistake here.
 */
public final class ConnectorRefusals {

    /** One malformed request and the status the server answers it with. */
    public record Case(String name, String request, int status, boolean applicationsPath) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String KEY_PATH = "/api/v1/applications/app_1/api-keys/9b1f0e0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

    private ConnectorRefusals() {
    }

    /**
     * Every case; the two malformed bodies go to {@code bodyPath} with these header lines (a credential, on a service,
     * so that the application reads the body).
     */
    public static List<Case> all(String bodyPath, String... bodyHeaderLines) {
        String bodyHeaders = bodyHeaderLines.length == 0 ? "" : String.join("\r\n", bodyHeaderLines) + "\r\n";
        List<Case> cases = new ArrayList<>();
        for (String path : List.of("/v1/whoami", KEY_PATH)) {
            boolean applications = path.equals(KEY_PATH);
            String suffix = applications ? " (applications path)" : "";
            cases.add(new Case("header over 8 KB (a huge JWT)" + suffix, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + "a".repeat(9_000) + "\r\nConnection: close\r\n\r\n", 400, applications));
            cases.add(new Case("NUL in X-Forwarded-For" + suffix, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Forwarded-For: 1.1.1.1\u0000\r\nConnection: close\r\n\r\n", 400, applications));
            cases.add(new Case("control character in a header value" + suffix, "GET " + path
                    + " HTTP/1.1\r\nHost: localhost\r\nX-Test: a\u0001b\r\nConnection: close\r\n\r\n", 400, applications));
            cases.add(new Case("invalid character in a header name" + suffix, "GET " + path
                    + " HTTP/1.1\r\nHost: localhost\r\nX Te(st): a\r\nConnection: close\r\n\r\n", 400, applications));
            cases.add(new Case("non-numeric Content-Length" + suffix, "POST " + path
                    + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\nConnection: close\r\n\r\n", 400, applications));
            cases.add(new Case("two different Content-Lengths" + suffix, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}", 400, applications));
            cases.add(new Case("unsupported transfer coding" + suffix, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n", 400, applications));
            cases.add(new Case("TRACE" + suffix, "TRACE " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    405, applications));
            cases.add(new Case("HTTP/2.0 in the request line" + suffix, "GET " + path
                    + " HTTP/2.0\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400, applications));
            cases.add(new Case("HTTP/1.2 in the request line" + suffix, "GET " + path
                    + " HTTP/1.2\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400, applications));
            cases.add(new Case("missing Host" + suffix, "GET " + path + " HTTP/1.1\r\nConnection: close\r\n\r\n", 400,
                    applications));
            cases.add(new Case("two Host headers" + suffix, "GET " + path
                    + " HTTP/1.1\r\nHost: localhost\r\nHost: other\r\nConnection: close\r\n\r\n", 400, applications));
        }
        cases.add(new Case("invalid character in the request target", "GET /v1/who{ami} HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n", 400, false));
        cases.add(new Case("request line over 8 KB", "GET /v1/whoami?q=" + "a".repeat(9_000)
                + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400, false));
        cases.add(new Case("invalid character in the method", "G(T /v1/whoami HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n", 400, false));
        cases.add(new Case("malformed chunk size", "POST " + bodyPath + " HTTP/1.1\r\nHost: localhost\r\n" + bodyHeaders
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
                400, false));
        cases.add(new Case("chunk longer than its size", "POST " + bodyPath + " HTTP/1.1\r\nHost: localhost\r\n" + bodyHeaders
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "2\r\n{\"name\":\"x\"}\r\n0\r\n\r\n", 400, false));
        cases.add(new Case("a transfer coding that is no coding", "POST " + bodyPath + " HTTP/1.1\r\nHost: localhost\r\n"
                + bodyHeaders + "Transfer-Encoding: xchunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400, false));
        cases.add(new Case("protocol that is not HTTP", "GET /v1/whoami FOO/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n", 400, false));
        return cases;
    }
}

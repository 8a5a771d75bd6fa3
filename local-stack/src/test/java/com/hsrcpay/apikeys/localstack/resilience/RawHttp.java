package com.hsrcpay.apikeys.localstack.resilience;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request on one new TCP connection ({@code Connection: close}), read to its end, and what became of it. Tells
 * apart what an HTTP client library blurs (it retries, pools, reconnects): the connection was refused; the request
 * was accepted and answered in full; or it was accepted and then cut (reset, or closed before the answer was complete).
 */
final class RawHttp {

    enum Fate { REFUSED, ANSWERED, CUT }

    record Result(long sentAtNanos, long latencyNanos, Fate fate, int status, String detail) {
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    private RawHttp() {
    }

    static Result get(int port, String path, String bearer, int timeoutMillis) {
        return get(port, path, bearer, "", timeoutMillis);
    }

    /** {@code extraHeaders}: more header lines, each ending in CRLF. */
    static Result get(int port, String path, String bearer, String extraHeaders, int timeoutMillis) {
        long sent = System.nanoTime();
        Socket socket = new Socket();
        try (socket) {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            } catch (ConnectException e) {
                return new Result(sent, System.nanoTime() - sent, Fate.REFUSED, 0, e.getMessage());
            }
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nAuthorization: Bearer " + bearer
                    + "\r\n" + extraHeaders + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] answer = readToEnd(socket.getInputStream());
            return judge(sent, answer);
        } catch (IOException e) {
            return new Result(sent, System.nanoTime() - sent, Fate.CUT, 0, e.toString());
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            answer.write(buffer, 0, n);
        }
        return answer.toByteArray();
    }

    /** Complete: a status line, the end of the headers, and the whole body (Content-Length, or chunked to 0). */
    private static Result judge(long sent, byte[] bytes) {
        long latency = System.nanoTime() - sent;
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || headerEnd < 0) {
            return new Result(sent, latency, Fate.CUT, 0, "closed after " + bytes.length + " bytes");
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String headers = text.substring(0, headerEnd);
        int bodyLength = bytes.length - headerEnd - 4;
        Matcher length = CONTENT_LENGTH.matcher(headers);
        boolean complete;
        if (length.find()) {
            complete = bodyLength >= Integer.parseInt(length.group(1));
        } else if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            complete = text.endsWith("0\r\n\r\n");
        } else {
            complete = true; // delimited by the close itself
        }
        return new Result(sent, latency, complete ? Fate.ANSWERED : Fate.CUT, status,
                complete ? "" : "body cut after " + bodyLength + " bytes");
    }
}

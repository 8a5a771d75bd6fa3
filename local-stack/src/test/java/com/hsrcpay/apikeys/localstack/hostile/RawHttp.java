package com.hsrcpay.apikeys.localstack.hostile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over plain sockets, byte for byte as the caller wrote the request: no client library normalises a
 * header, refuses a control character or re-encodes a path. Keeps one connection per port alive between requests
 * (reconnecting when the server closed it); {@link #once} uses a fresh connection for requests meant to upset the
 * server's parser. Single-threaded by design, like the suite.
 */
final class RawHttp implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 15_000;
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The status of an answer without a status line (HTTP/0.9): its body is all there is. */
    static final int NO_STATUS_LINE = -1;

    private final Map<Integer, Connection> open = new HashMap<>();

    /** The answer to one request, or {@code received == false} when the server closed without answering. */
    record Reply(boolean received, int status, List<Map.Entry<String, String>> headers, byte[] body, String failure) {

        static Reply none(String why) {
            return new Reply(false, 0, List.of(), new byte[0], why);
        }

        String header(String name) {
            for (Map.Entry<String, String> header : headers) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return null;
        }

        /** The same answer as if it had come with {@code status} and a JSON content type. */
        Reply asJsonWithStatus(int status) {
            return new Reply(received, status, List.of(Map.entry("Content-Type", "application/json")), body, failure);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code request} on the kept-alive connection to {@code port}. */
    Reply exchange(int port, byte[] request, boolean head) {
        Connection connection = open.get(port);
        boolean reused = connection != null;
        try {
            if (connection == null) {
                connection = connect(port);
            }
            Reply reply = connection.roundTrip(request, head);
            if (!reply.received() && reused) {
                // the server had closed the idle connection before this request: once more on a new one
                connection.close();
                connection = connect(port);
                reply = connection.roundTrip(request, head);
            }
            if (!reply.received() || connection.closed || "close".equalsIgnoreCase(reply.header("Connection"))) {
                connection.close();
                open.remove(port);
            } else {
                open.put(port, connection);
            }
            return reply;
        } catch (IOException e) {
            if (connection != null) {
                connection.close();
            }
            open.remove(port);
            throw new UncheckedIOException("Could not reach port " + port, e);
        }
    }

    /** Sends {@code request} on a connection of its own and closes it afterwards. */
    static Reply once(int port, byte[] request, boolean head) {
        Connection connection = null;
        try {
            connection = connect(port);
            return connection.roundTrip(request, head);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not reach port " + port, e);
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private static Connection connect(int port) throws IOException {
        Socket socket = new Socket(LOOPBACK, port);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return new Connection(socket);
    }

    @Override
    public void close() {
        open.values().forEach(Connection::close);
        open.clear();
    }

    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean closed;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = socket.getOutputStream();
        }

        /** Whether the last line read ended with a newline (false: with the server's close). */
        private boolean lastLineEnded = true;

        Reply roundTrip(byte[] request, boolean head) {
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may refuse in the middle of a large request and still answer: read what came
                closed = true;
            }
            try {
                return read(head);
            } catch (SocketTimeoutException e) {
                closed = true;
                return Reply.none("no answer within " + TIMEOUT_MILLIS + " ms");
            } catch (EOFException e) {
                closed = true;
                return Reply.none("connection closed without an answer");
            } catch (IOException e) {
                closed = true;
                return Reply.none("connection failed: " + e.getMessage());
            }
        }

        private Reply read(boolean head) throws IOException {
            String statusLine;
            List<Map.Entry<String, String>> headers;
            int status;
            do {
                statusLine = line(true);
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                    // an HTTP/0.9 answer (to a request line without a version): no status line, no headers, the body
                    // until the server closes
                    closed = true;
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    body.writeBytes((statusLine + (lastLineEnded ? "\n" : "")).getBytes(StandardCharsets.ISO_8859_1));
                    body.writeBytes(in.readNBytes(MAX_BODY));
                    return new Reply(true, NO_STATUS_LINE, List.of(), body.toByteArray(), null);
                }
                status = Integer.parseInt(parts[1]);
                headers = new ArrayList<>();
                for (String header = line(); !header.isEmpty(); header = line()) {
                    int colon = header.indexOf(':');
                    headers.add(Map.entry(colon < 0 ? header : header.substring(0, colon).trim(),
                            colon < 0 ? "" : header.substring(colon + 1).trim()));
                }
            } while (status >= 100 && status < 200);
            Reply shape = new Reply(true, status, headers, new byte[0], null);
            byte[] body;
            String encoding = shape.header("Transfer-Encoding");
            String length = shape.header("Content-Length");
            if (head || status == 204 || status == 304) {
                body = new byte[0];
            } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = chunked();
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
            } else {
                body = in.readNBytes(MAX_BODY); // until the server closes
                closed = true;
            }
            return new Reply(true, status, headers, body, null);
        }

        private byte[] chunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                        // trailers are not needed
                    }
                    return body.toByteArray();
                }
                if (body.size() + n > MAX_BODY) {
                    throw new IOException("answer larger than " + MAX_BODY + " bytes");
                }
                body.write(in.readNBytes(n));
                line();
            }
        }

        private String line() throws IOException {
            return line(false);
        }

        /**
         * One line without its CR LF. {@code endedByClose}: an answer's first line may also end where the server
         * closes (an HTTP/0.9 body without a final newline); otherwise a close mid-line is no answer.
         */
        private String line(boolean endedByClose) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            lastLineEnded = true;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
                if (line.size() > 64 * 1024) {
                    throw new IOException("header line longer than 64 KiB");
                }
            }
            if (endedByClose && line.size() > 0) {
                lastLineEnded = false;
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            throw new EOFException();
        }

        void close() {
            closed = true;
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}

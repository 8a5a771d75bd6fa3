package com.hsrcpay.apikeys.localstack.hostile;

import com.hsrcpay.apikeys.testsupport.FakeGitHub;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One hostile request: a valid request of an endpoint with exactly one input slot replaced by a hostile value (or
 * raw bytes that are no valid request at all), the port it goes to, and what the contract fixes about its answer.
 * Built by {@link #to}: the endpoint's valid request for the current {@link World}, then changed slot by slot.
 */
final class HostileRequest {

    record Header(String name, byte[] value) {
    }

    final Endpoint endpoint;
    final Port port;
    final String method;
    final String target;
    final List<Header> headers;
    final byte[] body;
    final byte[] raw;
    final boolean freshConnection;
    final String slot;
    final String input;
    final Expect expect;

    private HostileRequest(Builder b) {
        this.endpoint = b.endpoint;
        this.port = b.port;
        String[] requestLine = b.raw == null ? null : requestLineOf(b.raw);
        this.method = requestLine == null ? b.method : requestLine[0];
        this.target = requestLine == null ? b.target() : requestLine[1];
        this.headers = List.copyOf(b.headers);
        this.body = b.body();
        this.raw = b.raw;
        this.freshConnection = b.raw != null;
        this.slot = b.slot;
        this.input = b.input;
        this.expect = b.expect.forBodyOf(body == null ? 0 : body.length);
    }

    /** The valid request of {@code endpoint} on {@code port}: the full key JWT, JSON in and out, a valid body. */
    static Builder to(Endpoint endpoint, Port port, World world) {
        return new Builder(endpoint, port, world);
    }

    /** Bytes sent as they are on a connection of their own (for what no well-formed request can carry). */
    static Builder raw(Port port, String slot, String shown, byte[] bytes) {
        Builder builder = new Builder(Endpoint.RAW_SOCKET, port, null);
        builder.raw = bytes;
        return builder.hostile(slot, shown);
    }

    /** Method and target of raw bytes, as far as they have a request line. */
    private static String[] requestLineOf(byte[] raw) {
        String text = new String(raw, 0, Math.min(raw.length, 20_000), StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\r') < 0 ? text.length() : text.indexOf('\r');
        String[] parts = text.substring(0, end).split(" ", 3);
        return new String[]{parts[0], parts.length > 1 ? parts[1] : "/"};
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }

    /** The path as the server sees it (for the envelope rule): the target without scheme, authority or query. */
    String path() {
        String path = target;
        if (path.startsWith("http://") || path.startsWith("https://")) {
            int slash = path.indexOf('/', path.indexOf("//") + 2);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    byte[] bytes(int portNumber) {
        if (raw != null) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + portNumber + "\r\n");
        for (Header header : headers) {
            write(out, header.name() + ": ");
            out.writeBytes(header.value());
            write(out, "\r\n");
        }
        if (body != null) {
            write(out, "Content-Length: " + body.length + "\r\n");
        }
        write(out, "\r\n");
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Mutable while a property or case assembles one request; {@link #build()} freezes it. */
    static final class Builder {
        private final Endpoint endpoint;
        private final Port port;
        private String method;
        private String path;
        private final Map<String, String> placeholders = new LinkedHashMap<>();
        private final List<Map.Entry<String, String>> query = new ArrayList<>();
        private final List<Header> headers = new ArrayList<>();
        private LinkedHashMap<String, byte[]> fields;
        private byte[] rawBody;
        private byte[] raw;
        private String slot = "none";
        private String input = "";
        private Expect expect = Expect.anyStatus();

        private Builder(Endpoint endpoint, Port port, World world) {
            this.endpoint = endpoint;
            this.port = port;
            this.method = endpoint.method;
            String template = endpoint.path;
            int q = template.indexOf('?');
            this.path = q < 0 ? template : template.substring(0, q);
            if (q >= 0) {
                for (String pair : template.substring(q + 1).split("&")) {
                    int eq = pair.indexOf('=');
                    query.add(Map.entry(pair.substring(0, eq), pair.substring(eq + 1)));
                }
            }
            if (world == null) {
                return;
            }
            placeholders.put("{account}", World.ACCOUNT);
            placeholders.put("{key}", world.target());
            placeholders.put("{application}", World.APPLICATION);
            placeholders.put("{webhook}", world.webhookEndpointId);
            placeholders.put("{delivery}", world.webhookDeliveryId);
            header("Authorization", "Bearer " + (endpoint.isWebhook() ? world.webhookJwt : world.fullJwt));
            header("Accept", "application/json");
            if (endpoint.hasJsonBody) {
                header("Content-Type", "application/json");
                fields = new LinkedHashMap<>();
                switch (endpoint) {
                    case CREATE -> {
                        field("name", "\"hostile-probe\"");
                        field("permissions", "{\"account:api:key\":[\"read\"]}");
                    }
                    case PATCH -> field("name", "\"patched-by-a-hostile-request\"");
                    case REGENERATE -> field("grace_period_seconds", "0");
                    case CREDITS -> {
                        field("operation", "\"set\"");
                        field("amount", "5");
                    }
                    case VERIFY -> field("key", "\"" + world.readerSecret + "\"");
                    case WEBHOOK_CREATE -> {
                        field("url", "\"https://hooks.example.com/hostile-probe\"");
                        field("events", "[\"*\"]");
                    }
                    case WEBHOOK_PATCH -> field("description", "\"patched-by-a-hostile-request\"");
                    case REPORT_EXPOSURE -> field("keys", "[\"sk_live_hostileprobe\"]");
                    // GitHub's matches, naming a working key: only its signature stands between it and revocation
                    case GITHUB_SECRET_SCANNING -> body(FakeGitHub.report("hsrcpay_api_key",
                            "https://github.com/hostile/probe/blob/1/a.txt", world.readerSecret));
                    default -> throw new IllegalArgumentException(endpoint + " has no body template");
                }
            }
        }

        /** Describes the hostile input for the report: which slot, and the value (abbreviated there). */
        Builder hostile(String slotName, String shown) {
            this.slot = slotName;
            this.input = shown;
            return this;
        }

        Builder expect(Expect value) {
            this.expect = value;
            return this;
        }

        Builder method(String value) {
            this.method = value;
            return this;
        }

        /** Replaces the path (and drops the template's query); {@code value} is sent as written. */
        Builder path(String value) {
            int q = value.indexOf('?');
            this.path = q < 0 ? value : value.substring(0, q);
            this.placeholders.clear();
            this.query.clear();
            if (q >= 0) {
                for (String pair : value.substring(q + 1).split("&")) {
                    int eq = pair.indexOf('=');
                    query.add(eq < 0 ? Map.entry(pair, "") : Map.entry(pair.substring(0, eq), pair.substring(eq + 1)));
                }
            }
            return this;
        }

        /** The key id in the path, as sent (already percent-encoded where it needs to be). */
        Builder keyId(String encoded) {
            placeholders.put("{key}", encoded);
            return this;
        }

        Builder applicationId(String encoded) {
            placeholders.put("{application}", encoded);
            return this;
        }

        /** The webhook endpoint id in the path, as sent. */
        Builder webhookId(String encoded) {
            placeholders.put("{webhook}", encoded);
            return this;
        }

        Builder deliveryId(String encoded) {
            placeholders.put("{delivery}", encoded);
            return this;
        }

        /** Sets a query parameter (replacing one of that name), value as sent. */
        Builder query(String name, String encoded) {
            query.removeIf(e -> e.getKey().equals(name));
            query.add(Map.entry(name, encoded));
            return this;
        }

        Builder addQuery(String name, String encoded) {
            query.add(Map.entry(name, encoded));
            return this;
        }

        Builder withoutQuery(String name) {
            query.removeIf(e -> e.getKey().equals(name));
            return this;
        }

        Builder header(String name, String value) {
            return header(name, value.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Sets a header (replacing every header of that name), value bytes as sent. */
        Builder header(String name, byte[] value) {
            withoutHeader(name);
            headers.add(new Header(name, value));
            return this;
        }

        /** Adds a header even when one of that name is there: duplicates. */
        Builder addHeader(String name, String value) {
            headers.add(new Header(name, value.getBytes(StandardCharsets.ISO_8859_1)));
            return this;
        }

        Builder withoutHeader(String name) {
            headers.removeIf(h -> h.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
            return this;
        }

        Builder bearer(String credential) {
            return header("Authorization", "Bearer " + credential);
        }

        Builder field(String name, String json) {
            return field(name, json.getBytes(StandardCharsets.UTF_8));
        }

        /** Sets a body field to raw JSON bytes (possibly not UTF-8, possibly not JSON). */
        Builder field(String name, byte[] json) {
            fields.put(name, json);
            return this;
        }

        /** The body holds this field and nothing else. */
        Builder onlyField(String name, byte[] json) {
            fields.clear();
            return field(name, json);
        }

        Builder body(byte[] bytes) {
            this.rawBody = bytes;
            this.fields = null;
            return this;
        }

        Builder body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The body the builder holds now, as it will be sent (for cases that derive one from another). */
        byte[] currentBody() {
            return body();
        }

        HostileRequest build() {
            return new HostileRequest(this);
        }

        private String target() {
            String resolved = path;
            for (Map.Entry<String, String> p : placeholders.entrySet()) {
                resolved = resolved.replace(p.getKey(), p.getValue());
            }
            if (query.isEmpty()) {
                return resolved;
            }
            StringBuilder target = new StringBuilder(resolved).append('?');
            for (int i = 0; i < query.size(); i++) {
                String value = query.get(i).getValue();
                for (Map.Entry<String, String> p : placeholders.entrySet()) {
                    value = value.replace(p.getKey(), p.getValue());
                }
                target.append(i == 0 ? "" : "&").append(query.get(i).getKey()).append('=').append(value);
            }
            return target.toString();
        }

        private byte[] body() {
            if (rawBody != null) {
                return rawBody;
            }
            if (fields == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('{');
            boolean first = true;
            for (Map.Entry<String, byte[]> field : fields.entrySet()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                out.writeBytes(("\"" + field.getKey() + "\":").getBytes(StandardCharsets.UTF_8));
                out.writeBytes(field.getValue());
            }
            out.write('}');
            return out.toByteArray();
        }
    }
}

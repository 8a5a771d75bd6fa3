package com.hsrcpay.apikeys.edge.client;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The contract's rule for the client's address: the TCP peer, unless that peer is a trusted proxy; then the
 * right-most address of {@code X-Forwarded-For} that is not a trusted proxy. An entry that is not an IP literal
 * ends the walk: the last trusted hop is then the client, so a proxy that forwards garbage cannot be used to
 * inject an address. Host names are never resolved.
 */
public final class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile(
            "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");
    /** An X-Forwarded-For longer than this is a client's invention, not a proxy chain: only its tail is read. */
    private static final int MAX_HOPS = 20;

    private final List<IpAddressMatcher> trusted;

    private TrustedProxies(List<IpAddressMatcher> trusted) {
        this.trusted = trusted;
    }

    /** From CIDR ranges ({@code 10.0.0.0/8}, {@code ::1/128}) or single addresses; refuses anything else at start. */
    public static TrustedProxies of(Collection<String> cidrs) {
        List<IpAddressMatcher> matchers = new ArrayList<>();
        for (String cidr : cidrs) {
            String range = cidr.trim();
            if (range.isEmpty()) {
                continue;
            }
            int slash = range.indexOf('/');
            String address = slash < 0 ? range : range.substring(0, slash);
            if (literal(address).isEmpty()) {
                throw new IllegalArgumentException("kms.http.trusted-proxies: not an IP address or CIDR range: " + range);
            }
            matchers.add(new IpAddressMatcher(range));
        }
        return new TrustedProxies(List.copyOf(matchers));
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    public boolean isEmpty() {
        return trusted.isEmpty();
    }

    /** The client of a request from {@code peer} carrying these {@code X-Forwarded-For} values (in header order). */
    public String clientAddress(String peer, Enumeration<String> forwardedFor) {
        if (trusted.isEmpty() || forwardedFor == null || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(forwardedFor)) {
            for (String hop : header.split(",", -1)) {
                hops.add(hop.trim());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= Math.max(0, hops.size() - MAX_HOPS); i--) {
            Optional<String> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                return client;
            }
            client = hop.get();
            if (!isTrusted(client)) {
                return client;
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        Optional<String> literal = literal(address);
        return literal.isPresent() && trusted.stream().anyMatch(range -> range.matches(literal.get()));
    }

    /** The normalised form of an IPv4 or IPv6 literal ({@code [..]} allowed), or empty for anything else. */
    static Optional<String> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String candidate = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = IPV4.matcher(candidate).matches();
        if (!v4 && !(candidate.indexOf(':') >= 0 && IPV6.matcher(candidate).matches())) {
            return Optional.empty();
        }
        try {
            // a dotted quad or a text with ':' is parsed as a literal, never looked up
            return Optional.of(InetAddress.getByName(candidate).getHostAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}

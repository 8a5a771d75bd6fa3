package com.hsrcpay.apikeys.query.webhook.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where webhooks may go (the rule against server-side request forgery): {@code https} to a public address only. With
 * local targets allowed (the local profile), also {@code http} or {@code https} to {@code localhost} or
 * {@code 127.0.0.1} on any port. The URL is checked when an endpoint is created or patched, and its host's addresses
 * again at every send, after DNS, inside the connection (the addresses checked are the ones connected to), so a name
 * that later resolves to an internal address is refused then.
 */
public final class DeliveryTargets {

    public static final int MAX_URL_LENGTH = 2048;
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1");
    private static final Pattern CANONICAL_IPV4 =
            Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    /** A last label no DNS name has (all digits, or hex): the host is meant as an IPv4 address. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("^([0-9]+|0x[0-9a-f]*)$");

    private final boolean allowLocal;

    public DeliveryTargets(boolean allowLocal) {
        this.allowLocal = allowLocal;
    }

    /** The URL as a URI, or why it may not receive webhooks (before DNS). */
    public URI parse(String url) throws Refused {
        if (url.length() > MAX_URL_LENGTH) {
            throw new Refused("url_too_long", "url may be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("invalid_url", "url must be an absolute http(s) URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || uri.isOpaque() || host == null || host.isEmpty()
                || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new Refused("invalid_url", "url must be an absolute http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("invalid_url", "url may not carry user information");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("invalid_url", "url may not carry a fragment");
        }
        if (isAllowedLocal(uri)) {
            return uri;
        }
        if (!scheme.equals("https")) {
            throw new Refused("insecure_url", "url must use https");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        String name = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower; // "localhost." is localhost
        String lastLabel = name.substring(name.lastIndexOf('.') + 1);
        if (!host.startsWith("[") && NUMERIC_LABEL.matcher(lastLabel).matches()
                && !CANONICAL_IPV4.matcher(name).matches()) {
            // 127.1, 2130706433, 0x7f000001, 010.0.0.1: resolvers read these as addresses in different ways
            throw new Refused("invalid_url", "an IPv4 address in url must be four decimal numbers (a.b.c.d)");
        }
        if (name.equals("localhost") || name.endsWith(".localhost") || name.endsWith(".local")
                || name.endsWith(".internal")) {
            throw new Refused("forbidden_target", "url may not name a local or internal host");
        }
        Optional<InetAddress> literal = literalAddress(host);
        if (literal.isPresent() && !isPublic(literal.get())) {
            throw new Refused("forbidden_target", "url may not target a private, loopback or link-local address");
        }
        return uri;
    }

    /** Refuses when any address {@code uri}'s host resolved to is not public (the check after DNS). */
    public void requirePublic(URI uri, List<InetAddress> resolved) throws Refused {
        requirePublic(uri.getHost(), resolved);
    }

    /**
     * Refuses when any address {@code host} resolved to is not public, unless the local profile's exception names the
     * host: the check the sender's resolver makes on the very addresses its connection then uses.
     */
    public void requirePublic(String host, List<InetAddress> resolved) throws Refused {
        if (isAllowedLocalHost(host)) {
            return;
        }
        if (resolved.isEmpty()) {
            throw new Refused("unresolvable_host", "the host of url has no address");
        }
        for (InetAddress address : resolved) {
            if (!isPublic(address)) {
                throw new Refused("forbidden_target", "the host of url resolves to a private, loopback or link-local "
                        + "address");
            }
        }
    }

    /** Whether the local profile's exception covers {@code uri} (its host as written, no DNS involved). */
    public boolean isAllowedLocal(URI uri) {
        return isAllowedLocalHost(uri.getHost());
    }

    private boolean isAllowedLocalHost(String host) {
        return allowLocal && host != null && LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Public unicast: not any-local, loopback, link-local, private (RFC 1918, ULA), CGNAT, multicast or reserved. */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // this network
                    && !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            if (isEmbeddedIpv4(b)) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (java.net.UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::/96): the IPv4 address inside decides. */
    private static boolean isEmbeddedIpv4(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 12; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        return zeroPrefix || nat64;
    }

    /** The address a host names literally (an IPv4 dotted quad or a bracketed IPv6), without DNS. */
    private static Optional<InetAddress> literalAddress(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipv4 = bare.matches("[0-9.]+");
        boolean ipv6 = bare.contains(":");
        if (!ipv4 && !ipv6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(bare)); // a literal: parsed, never looked up
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** A URL that may not receive webhooks: {@code reason} is the machine-readable refusal. */
    public static final class Refused extends Exception {

        private final String reason;

        public Refused(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}

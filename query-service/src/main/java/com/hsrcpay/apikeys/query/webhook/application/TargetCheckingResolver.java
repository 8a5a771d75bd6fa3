package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.query.webhook.model.DeliveryTargets;
import org.apache.hc.client5.http.DnsResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The webhook client's only DNS: resolves the target's host and applies {@link DeliveryTargets} to the answer before
 * the connection uses it, so the addresses checked are the addresses connected to (no second lookup a re-bound name
 * could answer differently). A refused answer fails the connection with {@link RefusedTarget}.
 */
final class TargetCheckingResolver implements DnsResolver {

    private final HostResolver resolver;
    private final DeliveryTargets targets;

    TargetCheckingResolver(HostResolver resolver, DeliveryTargets targets) {
        this.resolver = resolver;
        this.targets = targets;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses = resolver.resolve(bare);
        try {
            targets.requirePublic(bare, addresses);
        } catch (DeliveryTargets.Refused refused) {
            throw new RefusedTarget(refused);
        }
        return addresses.toArray(InetAddress[]::new);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        // Apache's default would do the same; spelled out so that no future default skips the check
        return java.util.Arrays.stream(resolve(host)).map(address -> new InetSocketAddress(address, port)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host; // never asked for a delivery (no SPNEGO); no reverse lookup to trust
    }

    /** A target the rules refuse after DNS: {@code reason} as {@link DeliveryTargets.Refused} gave it. */
    static final class RefusedTarget extends UnknownHostException {

        private final String reason;

        RefusedTarget(DeliveryTargets.Refused refused) {
            super(refused.getMessage());
            this.reason = refused.reason();
        }

        String reason() {
            return reason;
        }
    }
}

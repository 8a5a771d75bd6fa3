package com.hsrcpay.apikeys.query.webhook.application;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** DNS for the target check of a delivery: the system resolver in production, a table in the rebinding test. */
@FunctionalInterface
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;

    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}

package com.hsrcpay.apikeys.edge.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code kms.http.*}: request bodies above {@code max-body-bytes} are 413; {@code trusted-proxies}
 * ({@code KMS_TRUSTED_PROXIES}, CIDR list, default none) are the peers whose {@code X-Forwarded-For} is believed.
 */
@ConfigurationProperties("kms.http")
public record HttpSettings(@DefaultValue("65536") long maxBodyBytes, @DefaultValue List<String> trustedProxies) {
}

package com.hsrcpay.apikeys.verification.usage;

/**
 * Why usage control refused a verification: the verify answer's code ({@code RATE_LIMITED} is checked first and wins),
 * and the 429's {@code reason} ({@link #reason()}) when a secret key is the credential on our own API.
 */
public enum UsageRefusal {
    RATE_LIMITED, USAGE_EXCEEDED;

    public String reason() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

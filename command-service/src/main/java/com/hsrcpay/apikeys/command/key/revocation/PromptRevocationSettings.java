package com.hsrcpay.apikeys.command.key.revocation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code kms.revocations.prompt.*} (env {@code KMS_REVOCATIONS_PROMPT_…}): whether a key's end is also sent to
 * {@code api-key-revocations} straight after its commit ({@code enabled}), how many such sends may wait for the
 * sender ({@code queue}; more are left to the publisher), how long a send may wait for the broker's metadata
 * ({@code max-block}) and for its acknowledgement, retries included ({@code delivery-timeout}).
 */
@ConfigurationProperties("kms.revocations.prompt")
public record PromptRevocationSettings(@DefaultValue("true") boolean enabled,
                                       @DefaultValue("4096") int queue,
                                       @DefaultValue("500ms") Duration maxBlock,
                                       @DefaultValue("5s") Duration deliveryTimeout) {
}

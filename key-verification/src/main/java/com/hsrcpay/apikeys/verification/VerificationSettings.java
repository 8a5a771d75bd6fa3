package com.hsrcpay.apikeys.verification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kms.verification.*} (env {@code KMS_VERIFICATION_…}): whether secret keys are accepted as credentials, the
 * size of the cache of keys by secret hash, and the age after which a cached key is looked up again even though no
 * change was seen (changes evict at once; the age is a safety net).
 */
@ConfigurationProperties("kms.verification")
public record VerificationSettings(@DefaultValue("true") boolean enabled,
                                   @DefaultValue("100000") long cacheSize,
                                   @DefaultValue("300") long cacheMaxAgeSeconds) {
}

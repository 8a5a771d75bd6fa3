package com.hsrcpay.apikeys.command.exposure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * {@code kms.exposure.*}: reports of secrets found in public.
 *
 * @param github  GitHub's secret scanning partner endpoint: where its public keys are ({@code public-keys-url},
 *                env {@code KMS_GITHUB_SECRET_SCANNING_KEYS_URL}), how often an unknown key identifier may refetch
 *                them ({@code refetch-interval}) and how long a fetch may take ({@code fetch-timeout})
 * @param reports the public report endpoint: requests a minute per client address ({@code per-address-per-minute};
 *                the contract asks for at least 10), addresses remembered ({@code max-sources}), reports waiting to be
 *                worked off ({@code queue-capacity}; beyond it 503)
 */
@ConfigurationProperties("kms.exposure")
public record ExposureSettings(@DefaultValue GitHub github, @DefaultValue Reports reports) {

    public record GitHub(@DefaultValue("https://api.github.com/meta/public_keys/secret_scanning") URI publicKeysUrl,
                         @DefaultValue("60s") Duration refetchInterval,
                         @DefaultValue("5s") Duration fetchTimeout) {
    }

    public record Reports(@DefaultValue("20") int perAddressPerMinute,
                          @DefaultValue("100000") int maxSources,
                          @DefaultValue("1000") int queueCapacity) {

        public Reports {
            if (perAddressPerMinute < 1 || maxSources < 1 || queueCapacity < 1) {
                throw new IllegalArgumentException("kms.exposure.reports.* must be at least 1");
            }
        }
    }
}

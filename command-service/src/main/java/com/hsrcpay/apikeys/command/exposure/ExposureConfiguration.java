package com.hsrcpay.apikeys.command.exposure;

import com.hsrcpay.apikeys.command.exposure.application.ExposureReports;
import com.hsrcpay.apikeys.command.exposure.infrastructure.GitHubPublicKeys;
import com.hsrcpay.apikeys.command.exposure.web.ReportRateLimit;
import com.hsrcpay.apikeys.command.key.application.KeyWrites;
import com.hsrcpay.apikeys.verification.KeyVerifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Wiring of exposure reports: GitHub's partner endpoint and the public report. They find keys through key verification
 * (its lookup by secret hash): with verification off ({@code kms.verification.enabled=false}, a command service without
 * the read model) there are none, and neither endpoint is served.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kms.verification.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ExposureSettings.class)
public class ExposureConfiguration {

    @Bean
    GitHubPublicKeys gitHubPublicKeys(ExposureSettings settings, Clock clock) {
        ExposureSettings.GitHub github = settings.github();
        return new GitHubPublicKeys(github.publicKeysUrl(), github.refetchInterval(), github.fetchTimeout(), clock);
    }

    @Bean(destroyMethod = "close")
    ExposureReports exposureReports(KeyVerifier verifier, KeyWrites writes, ExposureSettings settings) {
        return new ExposureReports(verifier, writes, settings.reports().queueCapacity());
    }

    @Bean
    ReportRateLimit reportRateLimit(ExposureSettings settings) {
        return new ReportRateLimit(settings.reports().perAddressPerMinute(), settings.reports().maxSources());
    }
}

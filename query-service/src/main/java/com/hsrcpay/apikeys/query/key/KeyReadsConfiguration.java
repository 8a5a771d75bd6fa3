package com.hsrcpay.apikeys.query.key;

import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.query.ReadsPoolConfiguration;
import com.hsrcpay.apikeys.query.key.application.KeyReads;
import com.hsrcpay.apikeys.query.key.application.ReadYourWrites;
import com.hsrcpay.apikeys.verification.usage.UsageControl;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReadSettings.class)
public class KeyReadsConfiguration {

    @Bean
    KeyReads keyReads(@Qualifier(ReadsPoolConfiguration.READS_POOL) DedicatedPool reads,
                      ObjectProvider<UsageControl> usageControl) {
        UsageControl engine = usageControl.getIfAvailable();
        return new KeyReads(reads.jdbc(), engine == null ? ids -> Map.of() : ids -> engine.credits().remaining(ids));
    }

    @Bean
    ReadYourWrites readYourWrites(@Qualifier(ReadsPoolConfiguration.READS_POOL) DedicatedPool reads,
                                  ReadSettings settings) {
        return new ReadYourWrites(reads.jdbc(), Duration.ofMillis(settings.consistencyMaxWaitMs()));
    }
}

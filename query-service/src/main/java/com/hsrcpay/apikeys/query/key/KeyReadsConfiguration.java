package com.hsrcpay.apikeys.query.key;

import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.query.ReadsPoolConfiguration;
import com.hsrcpay.apikeys.query.key.application.KeyReads;
import com.hsrcpay.apikeys.query.key.application.ReadYourWrites;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

@Configuration(proxyBeanMethods = false)
public class KeyReadsConfiguration {

    @Bean
    KeyReads keyReads(@Qualifier(ReadsPoolConfiguration.READS_POOL) DedicatedPool reads) {
        return new KeyReads(reads.jdbc());
    }

    @Bean
    ReadYourWrites readYourWrites(@Qualifier(ReadsPoolConfiguration.READS_POOL) DedicatedPool reads,
                                  @Value("${kms.reads.consistency-max-wait-ms:2000}") long maxWaitMillis) {
        return new ReadYourWrites(reads.jdbc(), Duration.ofMillis(maxWaitMillis));
    }
}

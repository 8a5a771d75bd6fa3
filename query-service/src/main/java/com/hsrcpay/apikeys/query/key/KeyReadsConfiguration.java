package com.hsrcpay.apikeys.query.key;

import com.hsrcpay.apikeys.query.key.application.KeyReads;
import com.hsrcpay.apikeys.query.key.application.ReadYourWrites;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

@Configuration(proxyBeanMethods = false)
public class KeyReadsConfiguration {

    @Bean
    KeyReads keyReads(JdbcTemplate jdbc) {
        return new KeyReads(jdbc);
    }

    @Bean
    ReadYourWrites readYourWrites(JdbcTemplate jdbc,
                                  @Value("${kms.reads.consistency-max-wait-ms:2000}") long maxWaitMillis) {
        return new ReadYourWrites(jdbc, Duration.ofMillis(maxWaitMillis));
    }
}

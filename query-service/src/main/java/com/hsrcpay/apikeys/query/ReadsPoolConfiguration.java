package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.database.DedicatedPools;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The reads clients wait for (key list and key, read-your-writes, chain check, audit export) run on a pool of their
 * own with request bounds: a stuck database answers them 503 within about two seconds, and a burst of them never
 * takes the connections the projections need (those use Spring's pool, with background bounds).
 */
@Configuration(proxyBeanMethods = false)
public class ReadsPoolConfiguration {

    public static final String READS_POOL = "readsPool";

    @Bean(name = READS_POOL, destroyMethod = "close")
    DedicatedPool readsPool(DedicatedPools pools) {
        return pools.create("reads", 10);
    }
}

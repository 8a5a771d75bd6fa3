package com.hsrcpay.apikeys.query;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The read side: projections of the event store, REST reads, verification and Kafka publishing. */
@SpringBootApplication
public class QueryServiceApplication {

    /** Its own config name, so it can share a JVM (the local stack) with the command service. */
    public static final String CONFIG_NAME = "query-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(QueryServiceApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}

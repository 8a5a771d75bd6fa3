package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.command.CommandServiceApplication;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** A command service of its own, as a process would run it, for tests that start, stop or double it. */
final class StandaloneCommandService {

    private StandaloneCommandService() {
    }

    /** Starts one on {@code database} (verification off: no Kafka needed) with any extra arguments. */
    static ConfigurableApplicationContext start(TestDatabase database, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--kms.auth.jwt.hmac-secret=" + TestJwts.HMAC_SECRET,
                "--kms.verification.enabled=false"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(CommandServiceApplication.class).run(args.toArray(String[]::new));
    }

    /** The same, its time (events, deadlines) from {@code clock} instead of the system's. */
    static ConfigurableApplicationContext start(TestDatabase database, Clock clock, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--kms.auth.jwt.hmac-secret=" + TestJwts.HMAC_SECRET,
                "--kms.verification.enabled=false"));
        args.addAll(List.of(extra));
        // registered before the configuration classes are read: the service's own Clock bean steps aside
        return new SpringApplicationBuilder(CommandServiceApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("testClock", clock))
                .run(args.toArray(String[]::new));
    }

    static HttpApi api(ConfigurableApplicationContext context) {
        return HttpApi.onPort(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}

package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.testsupport.HttpApi;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The command and the query service, each a Spring Boot application of its own, on a fresh real database and the
 * shared real broker: started once per test JVM and shared by every class that extends this one (they keep apart by
 * using accounts of their own, and none changes the system's settings), stopped when the JVM ends.
 */
public abstract class BothServicesTestBase {

    protected static SystemUnderTest system;
    protected static HttpApi writes;
    protected static HttpApi reads;
    protected static ConfigurableApplicationContext queryService;

    @BeforeAll
    static synchronized void startBothServices() {
        if (system == null) {
            SystemUnderTest started = SystemUnderTest.onFreshDatabase();
            writes = SystemUnderTest.api(started.startCommandService());
            queryService = started.startQueryService();
            reads = SystemUnderTest.api(queryService);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "both-services-test-system-stop"));
            system = started;
        }
    }

    /** A new account id: each test's data stays its own. */
    protected static String account() {
        return "acct_" + Long.toHexString(System.nanoTime());
    }
}

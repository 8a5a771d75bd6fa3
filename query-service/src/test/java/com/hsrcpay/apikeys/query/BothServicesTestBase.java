package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.testsupport.HttpApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The command and the query service, each a Spring Boot application of its own, on a fresh real database and the
 * shared real broker, started once per test class. Tests keep apart by using accounts of their own.
 */
public abstract class BothServicesTestBase {

    protected static SystemUnderTest system;
    protected static HttpApi writes;
    protected static HttpApi reads;

    @BeforeAll
    static void startBothServices() {
        system = SystemUnderTest.onFreshDatabase();
        writes = SystemUnderTest.api(system.startCommandService());
        reads = SystemUnderTest.api(system.startQueryService());
    }

    @AfterAll
    static void stopBothServices() {
        system.close();
    }

    /** A new account id: each test's data stays its own. */
    protected static String account() {
        return "acct_" + Long.toHexString(System.nanoTime());
    }
}

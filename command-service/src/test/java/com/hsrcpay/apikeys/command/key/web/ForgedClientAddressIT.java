package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.command.CommandServiceApplication;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.RealInfrastructure;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 3: a client's own {@code X-Forwarded-For} dodged the brute-force guard (25 of 25 refused
 * credentials with a rotating header were answered 401, never 429). A service that trusts no proxy (the default)
 * takes the TCP peer as the client, whatever the header says; a private-network peer is not trusted by itself.
 */
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kms.auth.jwt.hmac-secret=" + TestJwts.HMAC_SECRET,
                "kms.verification.enabled=false",
                "kms.auth.guard.max-failures=5",
                "kms.auth.guard.block-seconds=60"})
class ForgedClientAddressIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        RealInfrastructure.registerPostgres(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void aRotatingForwardedForHeaderFromAnUntrustedPeerDoesNotDodgeTheGuard() {
        String account = "acct_" + Long.toHexString(System.nanoTime());
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            HttpApi.Reply reply = HttpApi.onPort(port).post("/v1/api-keys/?account_id=" + account)
                    .bearer(TestJwts.forAccount(account).sign() + "x") // a broken signature: a refused credential
                    .header("X-Forwarded-For", "198.51.100." + (i + 1))
                    .json(Map.of("name", "Backend", "permissions", Map.of("account:api:key", List.of("read"))))
                    .send();
            statuses.add(reply.status());
        }
        assertThat(statuses.subList(0, 5)).as("the first five failures of the one real source").containsOnly(401);
        assertThat(statuses.subList(5, 25)).as("then that source is blocked, header or not").containsOnly(429);
    }
}

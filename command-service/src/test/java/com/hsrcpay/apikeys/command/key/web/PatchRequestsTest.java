package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.command.key.model.PatchKey;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.json.StrictJson;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Merge-patch reading: absent stays, null clears where it may, a value replaces, nothing else is accepted. */
class PatchRequestsTest {

    private static final ObjectMapper JSON = strictJson();
    private static final Caller CALLER = new Caller(Caller.Credential.JWT, new Actor(Actor.Type.USER, "u1"),
            new AccountId("acct_1"), Mode.LIVE, Permissions.fromStrings(List.of("account:api:key:update")));
    private final PatchRequests requests = new PatchRequests(JSON);

    private static ObjectMapper strictJson() {
        Jackson2ObjectMapperBuilder builder = Jackson2ObjectMapperBuilder.json();
        StrictJson.customizer().customize(builder);
        return builder.build();
    }

    private PatchKey patch(String body) throws Exception {
        return requests.toCommand(JSON.readTree(body), KeyId.newId(), 3L, CALLER, "req_1");
    }

    @Test
    void absentFieldsStayNullClearsAndValuesReplace() throws Exception {
        PatchKey command = patch("{\"name\":\"Renamed\",\"expires_at\":null,\"metadata\":{\"team\":\"pay\"}}");
        assertThat(command.name().value()).isEqualTo("Renamed");
        assertThat(command.expiresAt()).isNotNull();
        assertThat(command.expiresAt().value()).isNull();
        assertThat(command.metadata().value()).isEqualTo(Map.of("team", "pay"));
        assertThat(command.permissions()).isNull();
        assertThat(command.status()).isNull();
        assertThat(command.expectedVersion()).isEqualTo(3L);
        assertThat(command.actorPermissions()).isEqualTo(CALLER.permissions());
        assertThat(patch("{\"expires_at\":\"2030-01-01T00:00:00Z\"}").expiresAt().value())
                .isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void whatCannotBePatchedOrIsOfTheWrongShapeIsABadRequestNamingTheField() {
        assertRefused("[]", "body");
        assertRefused("{\"type\":\"PUBLISHABLE\"}", "type");
        assertRefused("{\"name\":null}", "name");
        assertRefused("{\"name\":7}", "name");
        assertRefused("{\"permissions\":null}", "permissions");
        assertRefused("{\"permissions\":[\"read\"]}", "permissions");
        assertRefused("{\"expires_at\":1893456000}", "expires_at");
        assertRefused("{\"expires_at\":\"tomorrow\"}", "expires_at");
        assertRefused("{\"metadata\":{\"a\":\"b\\u0000\"}}", "metadata");
        assertRefused("{\"status\":true}", "status");
    }

    private void assertRefused(String body, String field) {
        assertThatThrownBy(() -> patch(body)).as(body).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error().status()).isEqualTo(400);
            assertThat(e.error().details()).containsEntry("field", field);
        });
    }
}

package com.hsrcpay.apikeys.query.replay;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Which reads depend on key-list's tables (503 during its replay) and which come from the event store. */
class ReplayReadGateTest {

    private static boolean gated(String method, String path, String asOf) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (asOf != null) {
            request.setParameter("as_of", asOf);
        }
        return ReplayReadGate.readsKeyList(request);
    }

    @Test
    void theListTheKeyAndVerificationReadTheKeyList() {
        assertThat(gated("GET", "/v1/api-keys", null)).isTrue();
        assertThat(gated("GET", "/v1/api-keys/", null)).isTrue();
        assertThat(gated("GET", "/v1/api-keys/5b0c6f1e-0d7a-4a43-9f57-0a8f7e0f2a11", null)).isTrue();
        assertThat(gated("POST", "/v1/keys/verify", null)).isTrue();
    }

    @Test
    void whatComesFromTheEventStoreIsNotGated() {
        String key = "/v1/api-keys/5b0c6f1e-0d7a-4a43-9f57-0a8f7e0f2a11";
        assertThat(gated("GET", key, "2026-01-01T00:00:00Z")).isFalse();
        assertThat(gated("GET", key + "/history", null)).isFalse();
        assertThat(gated("GET", key + "/history/verify", null)).isFalse();
        assertThat(gated("GET", "/v1/audit/events", null)).isFalse();
        assertThat(gated("GET", "/v1/whoami", null)).isFalse();
        assertThat(gated("PATCH", key, null)).as("writes are the command service's").isFalse();
        assertThat(gated("GET", "/v1/keys/verify", null)).isFalse();
    }
}

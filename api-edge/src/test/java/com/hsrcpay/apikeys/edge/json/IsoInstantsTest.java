package com.hsrcpay.apikeys.edge.json;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IsoInstantsTest {

    @Test
    void isoInstantsWithAnOffsetAreRead() {
        assertThat(IsoInstants.parse("2026-01-31T14:03:00Z")).contains(Instant.parse("2026-01-31T14:03:00Z"));
        assertThat(IsoInstants.parse("2026-01-31T14:03:00.123456789-05:30"))
                .contains(Instant.parse("2026-01-31T19:33:00.123456789Z"));
        assertThat(IsoInstants.parse("0001-01-01T00:00:00Z")).isPresent();
        assertThat(IsoInstants.parse("9999-12-31T23:59:59Z")).isPresent();
    }

    @Test
    void anythingElseIsNotAnInstant() {
        for (String text : new String[]{"", " ", "1893456000", "2026-01-31", "2026-01-31T14:03Z",
                "2026-01-31T14:03:00", "2026-01-31t14:03:00z", "2026-01-31T14:03:00Z\n", " 2026-01-31T14:03:00Z",
                "+294277-01-01T00:00:00Z", "-4713-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-31T24:00:00Z",
                "2026-01-31T14:03:00+25:00", "2026-01-31T14:03:00.1234567891Z", "２０２６-01-31T14:03:00Z"}) {
            assertThat(IsoInstants.parse(text)).as("'%s'", text).isEmpty();
        }
        assertThat(IsoInstants.parse(null)).isEmpty();
    }
}

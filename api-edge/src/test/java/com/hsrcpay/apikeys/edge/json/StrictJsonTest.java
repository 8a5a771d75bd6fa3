package com.hsrcpay.apikeys.edge.json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API's JSON reading: issue 10, item 7 found lenient readings of each of these. */
class StrictJsonTest {

    record Body(String name, Instant expiresAt, Long gracePeriodSeconds, Map<String, Object> metadata,
                Map<String, List<String>> permissions, Boolean managed) {
    }

    private final ObjectMapper mapper = mapper();

    private static ObjectMapper mapper() {
        Jackson2ObjectMapperBuilder builder = Jackson2ObjectMapperBuilder.json();
        StrictJson.customizer().customize(builder);
        return builder.build();
    }

    private Body read(String json) throws Exception {
        return mapper.readValue(json, Body.class);
    }

    @Test
    void wellFormedBodiesAreRead() throws Exception {
        Body body = read("{\"name\":\"Backend ✓ 🚀\",\"expires_at\":\"2030-01-31T14:03:00.123+01:00\","
                + "\"grace_period_seconds\":300,\"metadata\":{\"team\":\"payments\",\"n\":1.5,\"ok\":true,\"x\":null},"
                + "\"permissions\":{\"account:api:key\":[\"read\"]},\"managed\":false}");
        assertThat(body.name()).isEqualTo("Backend ✓ 🚀");
        assertThat(body.expiresAt()).isEqualTo(Instant.parse("2030-01-31T13:03:00.123Z"));
        assertThat(body.gracePeriodSeconds()).isEqualTo(300);
        assertThat(body.metadata()).containsEntry("team", "payments");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"name\":\"\\u0000\"}",
            "{\"name\":\"a\\nb\"}",
            "{\"name\":\"a\\u001bb\"}",
            "{\"name\":\"a\\u0085b\"}",
            "{\"name\":\"\\ud800\"}",
            "{\"name\":\"\\udc00x\"}",
            "{\"metadata\":{\"a\":\"x\\u0007\"}}",
            "{\"metadata\":{\"a\\u0000\":\"x\"}}",
            "{\"permissions\":{\"account:api:key\":[\"re\\u0000ad\"]}}",
            "{\"permissions\":{\"account\\tapi\":[\"read\"]}}",
            "{\"expires_at\":\"\"}",
            "{\"expires_at\":\" \"}",
            "{\"expires_at\":\"1893456000\"}",
            "{\"expires_at\":1893456000}",
            "{\"expires_at\":\"2030-01-31T14:03:00Z\\n\"}",
            "{\"expires_at\":\" 2030-01-31T14:03:00Z\"}",
            "{\"expires_at\":\"2030-01-31T14:03:00\"}",
            "{\"expires_at\":\"2030-01-31\"}",
            "{\"expires_at\":\"+294277-01-01T00:00:00Z\"}",
            "{\"expires_at\":\"-4713-01-01T00:00:00Z\"}",
            "{\"expires_at\":\"2030-13-01T00:00:00Z\"}",
            "{\"grace_period_seconds\":\"\"}",
            "{\"grace_period_seconds\":\"30\"}",
            "{\"grace_period_seconds\":1.5}",
            "{\"grace_period_seconds\":1e400}",
            "{\"grace_period_seconds\":9223372036854775808}",
            "{\"managed\":\"true\"}",
            "{\"managed\":\"\"}",
            "{\"managed\":1}",
            "{\"name\":7}",
            "{\"name\":\"a\",\"name\":\"b\"}",
            "{\"unknown\":1}",
            "{\"name\":\"a\"} x",
    })
    void lenientReadingsAreRefused(String json) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
    }

    @Test
    void aRefusedValueNamesItsField() {
        assertThatThrownBy(() -> read("{\"metadata\":{\"team\":\"a\\u0000\"}}"))
                .isInstanceOfSatisfying(JsonMappingException.class,
                        e -> assertThat(e.getPath()).extracting(JsonMappingException.Reference::getFieldName)
                                .containsExactly("metadata", "team"));
    }

    @Test
    void theSameRulesHoldForTreesReadInTwoSteps() throws Exception {
        // PATCH bodies are read as a tree first, then field by field
        Map<String, Object> metadata = mapper.readerFor(new TypeReference<Map<String, Object>>() { })
                .readValue(mapper.readTree("{\"a\":\"b\"}"));
        assertThat(metadata).containsEntry("a", "b");
        assertThatThrownBy(() -> mapper.readerFor(new TypeReference<Map<String, Object>>() { })
                .readValue(mapper.readTree("{\"a\":\"b\\u0000\"}")))
                .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
        assertThatThrownBy(() -> mapper.readerFor(Instant.class).readValue(mapper.readTree("\"1893456000\"")))
                .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
    }

    @Test
    void controlCharactersAndLoneSurrogatesAreFoundAnywhere() {
        assertThat(StrictJson.forbiddenCharacterAt("plain")).isEqualTo(-1);
        assertThat(StrictJson.forbiddenCharacterAt("emoji 🚀 ok")).isEqualTo(-1);
        assertThat(StrictJson.forbiddenCharacterAt("tab\there")).isEqualTo(3);
        assertThat(StrictJson.forbiddenCharacterAt("del\u007f")).isEqualTo(3);
        assertThat(StrictJson.forbiddenCharacterAt("x\ud83d")).isEqualTo(1);
        assertThat(StrictJson.forbiddenCharacterAt("\ude80x")).isZero();
    }
}

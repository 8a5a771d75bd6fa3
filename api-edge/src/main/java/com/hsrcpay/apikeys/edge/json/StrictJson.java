package com.hsrcpay.apikeys.edge.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The strict JSON of both APIs: an unknown field, a duplicate key, trailing garbage, a number where text belongs, an
 * empty string where a number or an instant belongs, a string with a control character or a lone surrogate, an
 * instant that is not ISO-8601 with an offset: each is a 400 naming its field, never a guess.
 */
public final class StrictJson {

    private StrictJson() {
    }

    public static Jackson2ObjectMapperBuilderCustomizer customizer() {
        return builder -> builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
                .postConfigurer(mapper -> {
                    // registered last, so its readers of String and Instant win over the default modules'
                    mapper.registerModule(module());
                    refuseScalarCoercion(mapper);
                });
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("strict-api-json");
        module.addDeserializer(String.class, new PlainText());
        module.addKeyDeserializer(String.class, new PlainTextKey());
        module.addDeserializer(Instant.class, new IsoInstant());
        return module;
    }

    /** The first character no string of the API may hold: a control character (Unicode Cc) or a lone surrogate. */
    public static int forbiddenCharacterAt(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String plain(String text, JsonParser p) throws RefusedValue {
        if (text != null && forbiddenCharacterAt(text) >= 0) {
            throw new RefusedValue(p, "invalid_character",
                    "strings may not contain control characters or unpaired surrogates", String.class);
        }
        return text;
    }

    private static final class PlainText extends StdScalarDeserializer<String> {

        PlainText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                // numbers, booleans and structures are refused by the coercion rules below
                return plain(StringDeserializer.instance.deserialize(p, ctxt), p);
            }
            return plain(p.getText(), p);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }
    }

    private static final class PlainTextKey extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (forbiddenCharacterAt(key) >= 0) {
                throw new RefusedValue(ctxt.getParser(), "invalid_character",
                        "object keys may not contain control characters or unpaired surrogates", String.class);
            }
            return key;
        }
    }

    /** ISO-8601 text only ({@link IsoInstants}): jsr310 would read a number as epoch seconds and trim blanks. */
    private static final class IsoInstant extends StdScalarDeserializer<Instant> {

        IsoInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            Optional<Instant> parsed = IsoInstants.parse(text);
            if (parsed.isPresent()) {
                return parsed.get();
            }
            throw new RefusedValue(p, IsoInstants.beyondFourDigitYears(text) ? "out_of_range" : "invalid_type",
                    "instants are ISO-8601 with an offset, e.g. 2026-01-31T14:03:00Z", Instant.class);
        }
    }

    private static void refuseScalarCoercion(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.DateTime)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.POJO)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Map)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Collection)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
}

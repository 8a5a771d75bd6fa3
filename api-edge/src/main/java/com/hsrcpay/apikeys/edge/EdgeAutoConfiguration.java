package com.hsrcpay.apikeys.edge;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.hsrcpay.apikeys.edge.error.ApiExceptionHandler;
import com.hsrcpay.apikeys.edge.error.EnvelopeErrorController;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import com.hsrcpay.apikeys.edge.http.BodySizeLimitFilter;
import com.hsrcpay.apikeys.edge.http.EnvelopeErrorsConfiguration;
import com.hsrcpay.apikeys.edge.http.RequestIds;
import com.hsrcpay.apikeys.edge.openapi.ApiDocumentation;
import com.hsrcpay.apikeys.edge.security.FailedAuthenticationGuard;
import com.hsrcpay.apikeys.edge.security.SecurityConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/**
 * What both services share at the edge: strict JSON, the error envelopes (also for what the web server
 * refuses itself, and on Boot's {@code /error}), request ids, the body limit and authentication. Picked up by each service through auto-configuration.
 */
@AutoConfiguration(before = {JacksonAutoConfiguration.class, SecurityAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class})
@Import({ApiExceptionHandler.class, EnvelopeErrorController.class, EnvelopeErrorsConfiguration.class,
        SecurityConfiguration.class, ApiDocumentation.class})
@EnableConfigurationProperties(FailedAuthenticationGuard.Settings.class)
public class EdgeAutoConfiguration {

    /** Strict by design: an unknown field, a duplicate key or a number where text belongs is a 400, not a guess. */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictApiJson() {
        return builder -> builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
                .deserializerByType(Instant.class, new IsoInstantOnly())
                .postConfigurer(EdgeAutoConfiguration::refuseScalarCoercion);
    }

    /** ISO-8601 text only: jsr310 reads a number as epoch seconds whatever the coercion config says. */
    private static final class IsoInstantOnly extends StdScalarDeserializer<Instant> {

        IsoInstantOnly() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }

    private static void refuseScalarCoercion(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.DateTime)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Map)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Collection)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }

    @Bean
    ErrorResponses errorResponses(ObjectMapper objectMapper) {
        return new ErrorResponses(objectMapper);
    }

    /** The brute-force guard ({@code kms.auth.guard.*}); time from the service's {@link Clock} if it has one. */
    @Bean
    @ConditionalOnMissingBean
    FailedAuthenticationGuard failedAuthenticationGuard(FailedAuthenticationGuard.Settings settings,
                                                        ObjectProvider<Clock> clock) {
        return new FailedAuthenticationGuard(settings, clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    FilterRegistrationBean<RequestIds> requestIds() {
        FilterRegistrationBean<RequestIds> registration = new FilterRegistrationBean<>(new RequestIds());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimit(
            @Value("${kms.http.max-body-bytes:65536}") long maxBodyBytes, ErrorResponses errors) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(maxBodyBytes, errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}

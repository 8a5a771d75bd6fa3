package com.hsrcpay.apikeys.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.edge.client.ClientAddressValve;
import com.hsrcpay.apikeys.edge.client.TrustedProxies;
import com.hsrcpay.apikeys.edge.error.ApiExceptionHandler;
import com.hsrcpay.apikeys.edge.error.EnvelopeErrorController;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import com.hsrcpay.apikeys.edge.http.BodySizeLimitFilter;
import com.hsrcpay.apikeys.edge.http.EnvelopeErrorsConfiguration;
import com.hsrcpay.apikeys.edge.http.HeaderRules;
import com.hsrcpay.apikeys.edge.http.HttpSettings;
import com.hsrcpay.apikeys.edge.http.RequestIds;
import com.hsrcpay.apikeys.edge.json.StrictJson;
import com.hsrcpay.apikeys.edge.json.Utf8RequestBodies;
import com.hsrcpay.apikeys.edge.metrics.MeterDescriptions;
import com.hsrcpay.apikeys.edge.openapi.ApiDocumentation;
import com.hsrcpay.apikeys.edge.security.FailedAuthenticationGuard;
import com.hsrcpay.apikeys.edge.security.SecurityConfiguration;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

import java.time.Clock;

/**
 * What both services share at the edge: strict JSON, the error envelopes (also for what the web server refuses
 * itself, and on Boot's {@code /error}), request ids, the body limit, the client's address behind trusted proxies,
 * authentication and a description on every meter. Picked up by each service through auto-configuration.
 */
@AutoConfiguration(before = {JacksonAutoConfiguration.class, SecurityAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class})
@Import({ApiExceptionHandler.class, EnvelopeErrorController.class, EnvelopeErrorsConfiguration.class,
        Utf8RequestBodies.class, SecurityConfiguration.class, ApiDocumentation.class})
@EnableConfigurationProperties({FailedAuthenticationGuard.Settings.class, HttpSettings.class})
public class EdgeAutoConfiguration {

    /** Strict by design: an unknown field, a duplicate key or a number where text belongs is a 400, not a guess. */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictApiJson() {
        return StrictJson.customizer();
    }

    /** Every family of the Prometheus scrape has a HELP text (Spring Boot applies MeterFilter beans to each registry). */
    @Bean
    MeterFilter meterDescriptions() {
        return new MeterDescriptions();
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

    /** The client's address, for everything after it: the TCP peer, or behind a trusted proxy what it forwards. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> clientAddress(HttpSettings settings) {
        TrustedProxies trustedProxies = TrustedProxies.of(settings.trustedProxies());
        return factory -> factory.addEngineValves(new ClientAddressValve(trustedProxies));
    }

    @Bean
    FilterRegistrationBean<RequestIds> requestIds() {
        FilterRegistrationBean<RequestIds> registration = new FilterRegistrationBean<>(new RequestIds());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimit(HttpSettings settings, ErrorResponses errors) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(settings.maxBodyBytes(), errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Before authentication: two Authorization headers are refused, never resolved to one of them. */
    @Bean
    FilterRegistrationBean<HeaderRules> headerRules(ErrorResponses errors) {
        FilterRegistrationBean<HeaderRules> registration =
                new FilterRegistrationBean<>(new HeaderRules(errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}

package com.hsrcpay.apikeys.edge.security;

import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every API endpoint needs a bearer credential; health and API docs stay open; Prometheus metrics need a
 * JWT with {@value #METRICS_PERMISSION}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(JwtSettings.class)
public class SecurityConfiguration {

    /** The transparency log's public reads (query service): checkpoint, public key, consistency proofs. */
    public static final String[] PUBLIC_TRANSPARENCY = {"/v1/transparency/checkpoint", "/v1/transparency/public-key",
            "/v1/transparency/consistency"};

    /**
     * Reports of leaked keys (command service): GitHub's secret scanning (its signature is the credential) and the
     * public report (holding the secret is the proof).
     */
    public static final String[] PUBLIC_EXPOSURE_REPORTS = {"/v1/secret-scanning/github", "/v1/keys/report-exposure"};

    public static final String METRICS_PERMISSION = "platform:metrics:read";

    static boolean mayReadMetrics(Authentication authentication) {
        return authentication instanceof CallerAuthentication caller
                && caller.getPrincipal().credential() == Caller.Credential.JWT
                && caller.getPrincipal().permits(METRICS_PERMISSION);
    }

    /**
     * No observation around each filter of the chain: Spring Security wraps every one of its filters in a Micrometer
     * observation of its own, 11.5 % of all CPU of a trivial request ({@code CpuProfileBenchmark liveness}), for
     * timings nobody reads. Authentication and authorization decisions stay observed, and every request keeps Spring
     * MVC's {@code http.server.requests}.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).build();
    }

    @Bean
    JwtDecoder jwtDecoder(JwtSettings settings) {
        return JwtDecoders.from(settings);
    }

    @Bean
    BearerAuthenticationManager bearerAuthenticationManager(JwtDecoder jwtDecoder,
                                                            ObjectProvider<SecretKeyAuthenticator> secretKeys) {
        return new BearerAuthenticationManager(jwtDecoder, secretKeys.getIfAvailable());
    }

    /** Requests the HTTP firewall refuses get the envelope too, not the container's error page. */
    @Bean
    WebSecurityCustomizer rejectedRequestsInEnvelope(ErrorResponses errors, FailedAuthenticationGuard guard) {
        return web -> web.requestRejectedHandler(new EnvelopeSecurityHandlers(errors, guard));
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, BearerAuthenticationManager authenticationManager,
                                    ErrorResponses errors, FailedAuthenticationGuard guard) throws Exception {
        EnvelopeSecurityHandlers handlers = new EnvelopeSecurityHandlers(errors, guard);
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/v3/api-docs", "/v3/api-docs/**", "/v3/asyncapi.json", "/swagger-ui.html",
                                "/swagger-ui/**", "/error")
                        .permitAll()
                        // the transparency log's checkpoint, verifier key and consistency proofs: public, like a CT log's
                        .requestMatchers(HttpMethod.GET, PUBLIC_TRANSPARENCY).permitAll()
                        .requestMatchers(HttpMethod.POST, PUBLIC_EXPOSURE_REPORTS).permitAll()
                        // metrics are not public: a platform JWT with platform:metrics:read scrapes them
                        .requestMatchers("/actuator/prometheus").access((authentication, context) ->
                                new AuthorizationDecision(mayReadMetrics(authentication.get())))
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> o
                        .authenticationManagerResolver(request ->
                                token -> authenticationManager.authenticate(token, request.getRemoteAddr()))
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .addFilterAfter(new RateLimitFieldsFilter(), BearerTokenAuthenticationFilter.class)
                .build();
    }
}

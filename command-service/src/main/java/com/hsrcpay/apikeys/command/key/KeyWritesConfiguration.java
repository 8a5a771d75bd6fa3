package com.hsrcpay.apikeys.command.key;

import com.hsrcpay.apikeys.command.key.application.IdempotentCreates;
import com.hsrcpay.apikeys.command.key.application.IdempotentRequests;
import com.hsrcpay.apikeys.command.key.application.KeyTurns;
import com.hsrcpay.apikeys.command.key.application.KeyWrites;
import com.hsrcpay.apikeys.command.key.application.RejectionsAsDetails;
import com.hsrcpay.apikeys.command.key.application.SecretIssuer;
import com.hsrcpay.apikeys.command.key.model.ApiKey;
import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.database.DedicatedPools;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;

/** Wiring of the write use cases; the model itself carries no Spring. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WriteSettings.class)
public class KeyWritesConfiguration {

    /** Millisecond ticks in UTC: what the API shows and what events record are the same instant. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.tickMillis(ZoneOffset.UTC);
    }

    @Bean
    SecretIssuer secretIssuer() {
        return new SecretIssuer(new SecureRandom());
    }

    /** Claims on a small pool of their own: a storm of writes filling the request pool does not delay them. */
    @Bean(destroyMethod = "close")
    DedicatedPool idempotencyPool(DedicatedPools pools) {
        return pools.create("idempotency", 2);
    }

    @Bean
    IdempotentRequests idempotentRequests(@Qualifier("idempotencyPool") DedicatedPool pool) {
        return new IdempotentRequests(pool.jdbc());
    }

    /**
     * Refusals travel as command result details (see {@link RejectionsAsDetails}); registered on the command bus in
     * both modes (the AxonServerCommandBus passes it on to its local segment).
     */
    @Bean
    Registration rejectionsAsDetails(CommandBus commandBus) {
        return commandBus.registerHandlerInterceptor(new RejectionsAsDetails());
    }

    @Bean
    KeyWrites keyWrites(CommandGateway commandGateway, @Qualifier("apiKeyRepository") Repository<ApiKey> keys,
                        SecretIssuer secretIssuer, IdempotentRequests idempotentRequests, WriteSettings settings,
                        ObjectProvider<MeterRegistry> meters) {
        return new KeyWrites(commandGateway, keys, secretIssuer, idempotentRequests,
                new IdempotentCreates(settings.idempotentRetryWait(), settings.idempotentAnswerMemory()), new KeyTurns(settings.keyTurnWait()),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }
}

package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.query.ReadsPoolConfiguration;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;

/**
 * The transparency log: its single writer (a processor of one segment), checkpoints signed on a schedule, and the
 * reads the endpoints answer from (on the request pool). Publishing them is {@code publishing.CheckpointPublisher}'s.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TransparencySettings.class)
public class TransparencyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TransparencyConfiguration.class);

    @Bean
    NoteSigner checkpointSigner(TransparencySettings settings) {
        if (settings.signingKey().isBlank()) {
            // only with kms.transparency.ephemeral-key-allowed (TransparencySettings refuses to start otherwise)
            log.warn("kms.transparency.signing-key is not set and an ephemeral key is allowed: checkpoints are signed "
                    + "by a key made for this process only, which no auditor can keep (tests only)");
            return NoteSigner.parse(NoteSigner.generate(TransparencySettings.EPHEMERAL_ORIGIN));
        }
        return NoteSigner.parse(settings.signingKey().trim());
    }

    @Bean
    TransparencyLog transparencyLog(JdbcTemplate jdbc) {
        return new TransparencyLog(jdbc);
    }

    @Bean
    TransparencyLogWriter transparencyLogWriter(TransparencyLog transparencyLog) {
        return new TransparencyLogWriter(transparencyLog);
    }

    @Bean
    Checkpoints checkpoints(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
                            TransparencyLog transparencyLog, NoteSigner checkpointSigner) {
        return new Checkpoints(jdbc, new TransactionTemplate(transactionManager), transparencyLog, checkpointSigner,
                Clock.systemUTC());
    }

    @Bean
    CheckpointSchedule checkpointSchedule(Checkpoints checkpoints, TransparencySettings settings) {
        return new CheckpointSchedule(checkpoints, Duration.ofMillis(settings.checkpointIntervalMs()));
    }

    @Bean
    TransparencyReads transparencyReads(@Qualifier(ReadsPoolConfiguration.READS_POOL) DedicatedPool reads,
                                        Checkpoints checkpoints) {
        // proofs and checkpoints on the request pool; signing (in Checkpoints) stays on the background one
        TransparencyLog onReadsPool = new TransparencyLog(reads.jdbc());
        Checkpoints newestOnReadsPool = checkpoints.readingFrom(reads.jdbc());
        return new TransparencyReads(onReadsPool, newestOnReadsPool);
    }

}

package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.database.DatabaseAutoConfiguration;
import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import com.hsrcpay.apikeys.verification.usage.Adjustment;
import com.hsrcpay.apikeys.verification.usage.UsageControl;
import com.hsrcpay.apikeys.verification.usage.UsageControlSchema;
import com.hsrcpay.apikeys.verification.usage.UsageHours;
import com.hsrcpay.apikeys.verification.usage.UsageRequest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage-control beans exist only with {@code kms.usage-control.enabled=true} (nothing uses them yet); then the
 * schema is migrated by the service itself and the engine works on it.
 */
class UsageControlWiringIT {

    private final TestDatabase database = TestPostgres.newDatabase();

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DatabaseAutoConfiguration.class))
                .withUserConfiguration(KeyVerificationAutoConfiguration.UsageControlConfiguration.class)
                .withBean(Clock.class, Clock::systemUTC)
                .withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
                        "spring.datasource.username=" + database.username(),
                        "spring.datasource.password=" + database.password());
    }

    @Test
    void offByDefaultNothingExistsNotEvenTheSchema() {
        runner().run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(UsageControl.class).doesNotHaveBean(UsageHours.class);
            assertThat(new JdbcTemplate(database.dataSource()).queryForObject(
                    "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", Integer.class,
                    UsageControlSchema.SCHEMA)).isZero();
        });
    }

    @Test
    void enabledTheServiceMigratesTheSchemaAndTheEngineAnswers() {
        runner().withPropertyValues("kms.usage-control.enabled=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(UsageControl.class).hasSingleBean(UsageHours.class);
            UsageControl engine = context.getBean(UsageControl.class);
            assertThat(engine.isRunning()).as("syncing").isTrue();
            UUID key = UUID.randomUUID();
            engine.credits().apply(key, 0, Adjustment.set(1));
            assertThat(engine.check(UsageRequest.byDefault(key, List.of(), true, null)).admitted()).isTrue();
            assertThat(engine.check(UsageRequest.byDefault(key, List.of(), true, null)).admitted()).isFalse();
        });
    }
}

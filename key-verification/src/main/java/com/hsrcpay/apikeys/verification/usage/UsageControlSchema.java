package com.hsrcpay.apikeys.verification.usage;

import org.flywaydb.core.Flyway;

/**
 * The {@value #SCHEMA} schema, owned by key-verification (both services verify keys, so both migrate it, on their
 * own Flyway history table {@value #HISTORY}; Flyway's lock makes two services starting at once safe). Migrations in
 * {@code classpath:db/usage-control}.
 */
public record UsageControlSchema(String version) {

    public static final String SCHEMA = "usage_control";
    public static final String HISTORY = "flyway_usage_control_history";

    /** Migrates on a connection of its own (a migration may rightly outlast a request's statement bound). */
    public static UsageControlSchema migrate(String url, String user, String password) {
        var result = Flyway.configure()
                .dataSource(url, user, password)
                .schemas(SCHEMA)
                .createSchemas(true)
                .table(HISTORY)
                .locations("classpath:db/usage-control")
                .load()
                .migrate();
        return new UsageControlSchema(result.targetSchemaVersion);
    }
}

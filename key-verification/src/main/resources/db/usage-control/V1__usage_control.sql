-- Usage control (issue 14): live counters of key verification, never events. Owned by key-verification, schema
-- usage_control, migrated by whichever service starts first (Flyway's lock makes concurrent starts safe).

-- What one instance admitted in one fixed window of one rate limit of a key, and its claim (share): how many more it
-- may admit before its next sync. Each instance writes its own row every sync (instances never contend) and reads the
-- others': what they admitted and claim, and how many they are.
CREATE TABLE rate_window (
    key_id       UUID        NOT NULL,
    limit_name   VARCHAR(40) NOT NULL,
    window_start BIGINT      NOT NULL, -- epoch milliseconds, a multiple of the limit's duration_ms
    instance_id  UUID        NOT NULL,
    window_end   BIGINT      NOT NULL,
    admitted     BIGINT      NOT NULL CHECK (admitted >= 0),
    share        BIGINT      NOT NULL CHECK (share >= 0),
    CONSTRAINT rate_window_pk PRIMARY KEY (key_id, limit_name, window_start, instance_id)
);
CREATE INDEX rate_window_end ON rate_window (window_end);

-- The authoritative credits of a key: available = not leased to any instance. A key's total is available plus what
-- its live leases hold. applied_sequence makes balance changes from events idempotent; generation voids old leases.
CREATE TABLE credit_balance (
    key_id           UUID        NOT NULL,
    available        BIGINT      NOT NULL CHECK (available >= 0),
    generation       BIGINT      NOT NULL,
    applied_sequence BIGINT      NOT NULL,
    wanted_at        TIMESTAMPTZ, -- an instance found nothing to lease: holders give back what they do not use
    wanted_by        UUID,
    updated_at       TIMESTAMPTZ NOT NULL,
    CONSTRAINT credit_balance_pk PRIMARY KEY (key_id)
);

-- Credits one instance took and has not spent (as it last reported: never less than what it really holds).
CREATE TABLE credit_lease (
    key_id      UUID        NOT NULL,
    instance_id UUID        NOT NULL,
    generation  BIGINT      NOT NULL,
    held        BIGINT      NOT NULL CHECK (held >= 0),
    renewed_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT credit_lease_pk PRIMARY KEY (key_id, instance_id)
);
CREATE INDEX credit_lease_renewed ON credit_lease (renewed_at);

-- Verifications of a key per hour and outcome ('VALID' or the refusal code), flushed in batches.
CREATE TABLE usage_hour (
    key_id        UUID        NOT NULL,
    hour          TIMESTAMPTZ NOT NULL,
    outcome       VARCHAR(32) NOT NULL,
    verifications BIGINT      NOT NULL,
    CONSTRAINT usage_hour_pk PRIMARY KEY (key_id, hour, outcome)
);
CREATE INDEX usage_hour_hour ON usage_hour (hour);

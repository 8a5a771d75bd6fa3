-- The read side. Every table is a projection of the event store (rebuilt by a replay) except token_entry,
-- which records how far each projection got and commits in the same transaction as its rows.

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    CONSTRAINT token_entry_pk PRIMARY KEY (processor_name, segment)
);

-- The paginated key list, and each key's version (its number of events) for read-your-writes.
CREATE TABLE api_key (
    key_id         UUID         NOT NULL,
    account_id     VARCHAR(255) NOT NULL,
    mode           VARCHAR(8)   NOT NULL,
    application_id UUID,
    name           VARCHAR(100) NOT NULL,
    type           VARCHAR(16)  NOT NULL,
    secret_hint    VARCHAR(64)  NOT NULL,
    metadata       JSONB        NOT NULL,
    permissions    JSONB        NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    expires_at     TIMESTAMPTZ,
    managed        BOOLEAN      NOT NULL,
    deleted        BOOLEAN      NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL,
    version        BIGINT       NOT NULL,
    CONSTRAINT api_key_pk PRIMARY KEY (key_id)
);
-- newest first with a stable tie-break, per account and mode, without deleted keys
CREATE INDEX api_key_listing ON api_key (account_id, mode, created_at DESC, key_id DESC) WHERE NOT deleted;

-- Key lookup for verification: every secret hash that may still work, and until when.
CREATE TABLE key_secret (
    secret_sha256 CHAR(64)    NOT NULL,
    key_id        UUID        NOT NULL,
    valid_until   TIMESTAMPTZ,
    CONSTRAINT key_secret_pk PRIMARY KEY (secret_sha256)
);
CREATE INDEX key_secret_key ON key_secret (key_id);

-- The revocation list: every secret that stopped working, and why.
CREATE TABLE revocation (
    secret_sha256  CHAR(64)     NOT NULL,
    key_id         UUID         NOT NULL,
    account_id     VARCHAR(255) NOT NULL,
    application_id UUID,
    mode           VARCHAR(8)   NOT NULL,
    reason         VARCHAR(16)  NOT NULL,
    revoked_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT revocation_pk PRIMARY KEY (secret_sha256)
);
CREATE INDEX revocation_key ON revocation (key_id);

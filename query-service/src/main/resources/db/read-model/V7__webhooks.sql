-- Webhooks (issue 15). Endpoints are the merchants' configuration (not events); deliveries are the durable outbox the
-- webhook-outbox processor fills in the transaction of its token, and the sender works. No signing secret is stored:
-- it is derived from the configured master key and the endpoint id (WebhookSigningSecrets).
CREATE TABLE webhook_endpoint (
    id          UUID         NOT NULL PRIMARY KEY,
    account_id  VARCHAR(64)  NOT NULL,
    mode        VARCHAR(8)   NOT NULL,
    url         TEXT         NOT NULL,
    -- wire names (api_key.created, ...) or the one entry '*'
    events      TEXT[]       NOT NULL,
    description TEXT,
    status      VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX webhook_endpoint_account_idx ON webhook_endpoint (account_id, mode, created_at DESC);

CREATE TABLE webhook_delivery (
    -- also the webhook-id header, kept across retries
    id                 UUID         NOT NULL PRIMARY KEY,
    endpoint_id        UUID         NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    -- what made it: an event's id, or 'expiring:<key>:<expires_at>' for the warning before an expiry
    source             TEXT         NOT NULL,
    event_id           VARCHAR(64),
    key_id             UUID         NOT NULL,
    type               VARCHAR(32)  NOT NULL,
    -- the body as sent, UTF-8 JSON (masked key object)
    body               BYTEA        NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL,
    next_attempt_at    TIMESTAMPTZ,
    -- attempts of the schedule made so far (manual retries are not counted: they never reset the schedule)
    scheduled_attempts INT          NOT NULL DEFAULT 0,
    retry_requested    BOOLEAN      NOT NULL DEFAULT FALSE,
    -- a sender working it; another instance takes it over once this has passed
    claimed_until      TIMESTAMPTZ,
    CONSTRAINT webhook_delivery_source_uq UNIQUE (endpoint_id, source)
);
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_delivery_retry_idx ON webhook_delivery (retry_requested) WHERE retry_requested;
CREATE INDEX webhook_delivery_log_idx ON webhook_delivery (endpoint_id, created_at DESC, id);
CREATE INDEX webhook_delivery_key_idx ON webhook_delivery (key_id, type) WHERE status = 'pending';

CREATE TABLE webhook_attempt (
    delivery_id UUID        NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
    number      INT         NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    status_code INT,
    latency_ms  BIGINT      NOT NULL,
    error       TEXT,
    CONSTRAINT webhook_attempt_pk PRIMARY KEY (delivery_id, number)
);

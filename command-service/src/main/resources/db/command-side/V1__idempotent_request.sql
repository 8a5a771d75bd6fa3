-- Idempotency-Key claims for key creation: which key id a key (per account and mode) stands for,
-- and the fingerprint of the first request body (a different body with the same key is a 409).
CREATE TABLE idempotent_request (
    account_id      VARCHAR(255) NOT NULL,
    mode            VARCHAR(8)   NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_sha256  CHAR(64)     NOT NULL,
    key_id          UUID         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT idempotent_request_pk PRIMARY KEY (account_id, mode, idempotency_key)
);

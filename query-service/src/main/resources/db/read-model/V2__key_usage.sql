-- When and from where each key was last used. Not a projection (usage is never an event): a replay keeps it.
CREATE TABLE key_usage (
    key_id       UUID        NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    last_used_ip VARCHAR(64),
    CONSTRAINT key_usage_pk PRIMARY KEY (key_id)
);

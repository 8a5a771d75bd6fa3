-- The transparency log: one append-only RFC 6962 Merkle tree over every stored event (api-contract.md,
-- "Transparency log"). Not a projection: no replay touches these tables, and the triggers below refuse any change
-- but an append, so a mistaken reset or cleanup fails loudly instead of rewriting the log.

-- One leaf per stored event, in the dense order the single writer (TransparencyLogWriter) assigned: the primary key
-- refuses one index twice, the unique event id refuses two indices for one event.
CREATE TABLE transparency_leaf (
    leaf_index       BIGINT       NOT NULL,
    event_identifier VARCHAR(255) NOT NULL,
    key_id           VARCHAR(255) NOT NULL,
    sequence_number  BIGINT       NOT NULL,
    -- the leaf data: the 32 raw bytes of the event's chain digest
    chain_digest     BYTEA        NOT NULL,
    -- when the row was written (not the transaction start): how far the log is behind the store
    appended_at      TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT transparency_leaf_pk PRIMARY KEY (leaf_index),
    CONSTRAINT transparency_leaf_event_uq UNIQUE (event_identifier),
    CONSTRAINT transparency_leaf_key_sequence_uq UNIQUE (key_id, sequence_number),
    CONSTRAINT transparency_leaf_index_ck CHECK (leaf_index >= 0),
    CONSTRAINT transparency_leaf_digest_ck CHECK (octet_length(chain_digest) = 32)
);

-- The complete subtrees: 2^level leaves from leaf node_index * 2^level (level 0: the leaf hashes). Every root and
-- proof is read from them with O(log n) rows.
CREATE TABLE transparency_node (
    level      SMALLINT NOT NULL,
    node_index BIGINT   NOT NULL,
    hash       BYTEA    NOT NULL,
    CONSTRAINT transparency_node_pk PRIMARY KEY (level, node_index),
    CONSTRAINT transparency_node_hash_ck CHECK (octet_length(hash) = 32)
);

-- Signed checkpoints (C2SP signed notes), one per tree size; published_at is set once Kafka acknowledged it.
CREATE TABLE transparency_checkpoint (
    tree_size    BIGINT      NOT NULL,
    root_hash    BYTEA       NOT NULL,
    note         TEXT        NOT NULL,
    signed_at    TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ,
    CONSTRAINT transparency_checkpoint_pk PRIMARY KEY (tree_size)
);

CREATE FUNCTION transparency_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'the transparency log is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;

CREATE TRIGGER transparency_leaf_append_only BEFORE UPDATE OR DELETE ON transparency_leaf
    FOR EACH ROW EXECUTE FUNCTION transparency_append_only();
CREATE TRIGGER transparency_leaf_no_truncate BEFORE TRUNCATE ON transparency_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_append_only();
CREATE TRIGGER transparency_node_append_only BEFORE UPDATE OR DELETE ON transparency_node
    FOR EACH ROW EXECUTE FUNCTION transparency_append_only();
CREATE TRIGGER transparency_node_no_truncate BEFORE TRUNCATE ON transparency_node
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_append_only();

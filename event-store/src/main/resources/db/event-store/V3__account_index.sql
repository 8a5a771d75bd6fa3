-- The audit export (query-service, GET /v1/audit/events) reads one account's events in global order.
-- Account and mode live only in the payload JSON; an expression index on the account finds an account's rows
-- without reading the whole store.
-- event_json never fails: a payload that is not JSON (a row edited by hand) is NULL here, so the index cannot make
-- such a row impossible to store or to read (the history verify endpoint is what reports it). It is declared
-- IMMUTABLE, which an index expression requires: convert_from depends only on the database encoding, fixed at
-- creation.
CREATE FUNCTION event_json(payload BYTEA) RETURNS JSONB
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS
$$
BEGIN
    RETURN convert_from(payload, 'UTF8')::jsonb;
EXCEPTION
    WHEN others THEN RETURN NULL;
END
$$;

CREATE INDEX domain_event_entry_account_idx ON domain_event_entry ((event_json(payload) ->> 'accountId'), global_index);

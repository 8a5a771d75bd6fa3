-- Wake-up for readers in other processes: one NOTIFY per appending transaction, delivered at commit.
-- Readers LISTEN and fetch at once instead of polling on a timer (Axon's default fetch delay is 1 s).
CREATE FUNCTION notify_events_appended() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('kms_events_appended', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER domain_event_entry_appended
    AFTER INSERT ON domain_event_entry
    FOR EACH STATEMENT
EXECUTE FUNCTION notify_events_appended();

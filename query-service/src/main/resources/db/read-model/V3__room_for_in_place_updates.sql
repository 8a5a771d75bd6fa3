-- Every event rewrites its key's row. Free space in each page lets PostgreSQL update a row in place (a HOT
-- update, no new index entries) whenever no indexed column changes, which is most events.
ALTER TABLE api_key SET (fillfactor = 85);
ALTER TABLE key_secret SET (fillfactor = 85);

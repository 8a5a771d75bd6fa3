-- Usage control on the key (issue 14): its rate limits ([] none) and credits (null: unlimited), as the key's events
-- set them. The live remaining of credits, spent by verifications, is not an event and is not kept here.
ALTER TABLE api_key ADD COLUMN ratelimits jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE api_key ADD COLUMN credits jsonb;

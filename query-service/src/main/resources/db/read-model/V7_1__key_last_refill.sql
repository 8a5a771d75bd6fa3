-- The key's last refill of its credits (CreditsRefilled), shown on the api_key object as credits.last_refill_at.
-- Numbered 7.1 so that it orders after the transparency log (V6) and clashes with no V7 of work in flight; keys
-- refilled before it show null until their next refill or a replay of the key-list projection.
ALTER TABLE read_model.api_key ADD COLUMN last_refill_at TIMESTAMPTZ;

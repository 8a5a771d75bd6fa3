-- Retention of the delivery log (issue 15): a delivery that ended (succeeded or failed) is kept for
-- kms.webhooks.retention after it ended, then purged with its attempts (DeliveryRetention). Pending rows have none.
ALTER TABLE webhook_delivery ADD COLUMN finished_at TIMESTAMPTZ;
UPDATE webhook_delivery d SET finished_at = coalesce(
        (SELECT max(a.at) FROM webhook_attempt a WHERE a.delivery_id = d.id), d.created_at)
    WHERE d.status <> 'pending';
CREATE INDEX webhook_delivery_finished_idx ON webhook_delivery (finished_at) WHERE status <> 'pending';

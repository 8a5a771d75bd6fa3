-- The query-service instances that are alive, by heartbeat: each processor's segments are shared fairly among
-- them (ProcessorInstances). Not a projection: a replay keeps it.
CREATE TABLE processor_instance (
    instance_id VARCHAR(255) NOT NULL,
    seen_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT processor_instance_pk PRIMARY KEY (instance_id)
);

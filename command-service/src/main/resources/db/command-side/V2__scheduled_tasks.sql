-- Durable deadlines of the key aggregate (expiry at expires_at, end of a rotation grace): the table of db-scheduler
-- (com.github.kagkarlsson:db-scheduler 16.x, the layout of its postgresql_tables.sql), used through Axon's
-- DbSchedulerDeadlineManager. One row per pending deadline; the instance that fires it deletes it. Created here,
-- never by the library. Rows are written in the transaction of the command that schedules or cancels them.
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    CONSTRAINT scheduled_tasks_pk PRIMARY KEY (task_name, task_instance)
);

-- due rows are found by time; dead executions (a node that stopped heart-beating) by heartbeat
CREATE INDEX scheduled_tasks_execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

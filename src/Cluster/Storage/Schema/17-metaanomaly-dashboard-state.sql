-- What operators do to the cluster's events, kept on the event's row: its id is the cluster's, the same on every node
-- (the event jsonb keeps the id of the node that last recorded it). The verdicts' history is kept apart.
ALTER TABLE metaanomaly_events
    ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY,
    ADD COLUMN feedback smallint NOT NULL DEFAULT 0,
    ADD COLUMN acknowledged_by text,
    ADD COLUMN acknowledged_at timestamptz,
    ADD COLUMN snoozed_until timestamptz;
CREATE UNIQUE INDEX metaanomaly_events_id ON metaanomaly_events (id);
CREATE INDEX metaanomaly_events_start ON metaanomaly_events (start_ts);

CREATE TABLE metaanomaly_event_feedback
(
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES metaanomaly_events (id),
    verdict smallint NOT NULL,
    comment text,
    author text,
    at timestamptz NOT NULL
);

-- Every node's job runs (the Jobs page's history), each with the node it ran on.
CREATE TABLE metaanomaly_job_runs
(
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    node text NOT NULL,
    fire_id text NOT NULL,
    job_group text NOT NULL,
    job_name text NOT NULL,
    trigger_name text,
    started_at timestamptz NOT NULL,
    duration_ms bigint NOT NULL DEFAULT 0,
    succeeded boolean NOT NULL DEFAULT false,
    result text,
    error text,
    finished boolean NOT NULL DEFAULT false,
    UNIQUE (node, fire_id)
);
CREATE INDEX metaanomaly_job_runs_recent ON metaanomaly_job_runs (job_group, job_name, started_at);

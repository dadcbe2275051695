-- Every anomaly event of the cluster, once: its identity is its series and the timestamp of its first anomalous
-- point, the same on whichever node scored it; a node that scores the same points again updates the row.
CREATE TABLE metaanomaly_events
(
    series_key text NOT NULL,
    start_ts bigint NOT NULL,
    end_ts bigint NOT NULL,
    severity text NOT NULL,
    open boolean NOT NULL,
    node text NOT NULL,
    event jsonb NOT NULL,
    updated timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (series_key, start_ts)
);

-- Each webhook notification queued once per endpoint in the cluster: the node whose insert takes the key queues it.
CREATE TABLE metaanomaly_webhook_claims
(
    endpoint_url text NOT NULL,
    idempotency_key text NOT NULL,
    node text NOT NULL,
    claimed timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (endpoint_url, idempotency_key)
);

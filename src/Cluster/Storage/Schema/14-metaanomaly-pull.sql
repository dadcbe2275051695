-- The InfluxDB pull of a cluster: one reader per InfluxDB database (the pull grain, keyed by URL and database), its
-- watermarks here, so that the node that activates it after a node loss reads on from where the last reader's
-- acknowledged points end. The same (source, scope) watermarks as a single node's ingest_watermarks, per pull.
CREATE TABLE metaanomaly_pull_watermarks
(
    pull text NOT NULL,
    source text NOT NULL,
    scope text NOT NULL,
    value bigint NOT NULL,
    updated timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pull, source, scope)
);

-- Which activation of a pull reads: renewed while it runs, taken over by another only once it has expired.
CREATE TABLE metaanomaly_pull_leases
(
    pull text PRIMARY KEY,
    holder text NOT NULL,
    expires timestamptz NOT NULL
);

-- A shard handed from a live node to another (a rebalance, a graceful stop): the latest point of each series that
-- the giving node's detector saw. The taking node scores the points after it, and deletes the rows.
CREATE TABLE metaanomaly_shard_handovers
(
    shard integer NOT NULL,
    series_key text NOT NULL,
    seen_through bigint NOT NULL,
    PRIMARY KEY (shard, series_key)
);

-- MetaAnomaly's own cluster tables. The shard count is fixed when the cluster is created: a series' shard is a hash
-- of its key modulo that count, so the stored points of a shard are found again only with the same count.
CREATE TABLE metaanomaly_cluster
(
    id integer PRIMARY KEY CHECK (id = 1),
    shards integer NOT NULL
);

-- Every acknowledged point, by shard: a shard activated on any node reads its series back from here.
CREATE TABLE metaanomaly_points
(
    shard integer NOT NULL,
    series_key text NOT NULL,
    ts bigint NOT NULL,
    value double precision NOT NULL,
    PRIMARY KEY (shard, series_key, ts)
);

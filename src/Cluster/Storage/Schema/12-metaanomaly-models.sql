-- The cluster's meta-initialisations, one registry for every node: each version with its weights; the latest version
-- of a cluster is current. A node meta-trains a cluster only under its advisory lock, so each is trained once.
CREATE TABLE metaanomaly_models
(
    cluster_id text NOT NULL,
    version integer NOT NULL,
    learner text NOT NULL,
    layout text NOT NULL,
    data_from timestamptz NULL,
    data_to timestamptz NULL,
    validation_error double precision NOT NULL,
    created_at timestamptz NOT NULL,
    node text NOT NULL,
    state bytea NOT NULL,
    PRIMARY KEY (cluster_id, version)
);

CREATE TABLE metaanomaly_model_candidates
(
    cluster_id text NOT NULL,
    version integer NOT NULL,
    learner text NOT NULL,
    validation_error double precision NULL,
    training_steps integer NOT NULL,
    duration_seconds double precision NOT NULL,
    failure text NULL,
    PRIMARY KEY (cluster_id, version, learner)
);

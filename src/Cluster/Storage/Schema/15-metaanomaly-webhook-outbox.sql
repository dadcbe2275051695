-- The cluster's webhook outbox: a claim now keeps its notification (payload, attempts, next attempt), and any live node
-- delivers the due ones, each taken by one node at a time (a lease: a node lost while it held one leaves the row to the
-- others once it expires). Claims made before this script (no payload) were delivered by their nodes' own outboxes.
ALTER TABLE metaanomaly_webhook_claims
    ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    ADD COLUMN payload text,
    ADD COLUMN state smallint NOT NULL DEFAULT 0,
    ADD COLUMN attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN retry_since timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN last_status integer,
    ADD COLUMN last_error text,
    ADD COLUMN lease_holder text,
    ADD COLUMN lease_until timestamptz,
    ADD COLUMN delivered timestamptz,
    ADD COLUMN delivered_by text;

CREATE INDEX metaanomaly_webhook_claims_due ON metaanomaly_webhook_claims (next_attempt) WHERE state = 0 AND payload IS NOT NULL;

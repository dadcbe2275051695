-- The dashboard's data-protection key ring, shared by every node: a sign-in cookie (and a protected secret) made by
-- one node is read by every other. One row per key, as ASP.NET Core's XML element for it.
CREATE TABLE metaanomaly_data_protection_keys
(
    name text PRIMARY KEY,
    xml text NOT NULL,
    stored timestamptz NOT NULL DEFAULT now()
);

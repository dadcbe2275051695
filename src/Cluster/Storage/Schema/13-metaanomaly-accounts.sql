-- The dashboard's accounts and API keys, shared by every node (the same columns as a single node's SQLite tables, so
-- the one account store reads and writes both): sign in or use a key on any node.
CREATE TABLE dashboard_accounts
(
    name text PRIMARY KEY,
    password_hash text NOT NULL,
    role text NOT NULL,
    created_at text NOT NULL,
    session_stamp text NOT NULL DEFAULT ''
);

CREATE TABLE dashboard_api_keys
(
    id text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    secret_hash text NOT NULL,
    created_at text NOT NULL,
    last_used_at text,
    revoked_at text
);

-- Client keys (SPEC §21): scoped keys for front-door clients (OpenAI-compatible API, MCP). The secret is stored only as
-- its SHA-256 hash. Portable SQL: the same migration runs on the embedded H2 and on PostgreSQL.

CREATE TABLE client_keys (
    id             VARCHAR(32)   NOT NULL PRIMARY KEY,
    name           VARCHAR(63)   NOT NULL,
    secret_hash    VARCHAR(64)   NOT NULL,
    models         VARCHAR(2000),
    rate_per_minute INTEGER,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at     TIMESTAMP WITH TIME ZONE,
    last_used_at   TIMESTAMP WITH TIME ZONE,
    use_count      BIGINT        NOT NULL,
    CONSTRAINT client_keys_name_unique UNIQUE (name),
    CONSTRAINT client_keys_secret_hash_unique UNIQUE (secret_hash)
);

-- The client key that submitted a task; NULL for the operator. A client key sees only its own tasks.
ALTER TABLE tasks ADD COLUMN owner VARCHAR(32);

CREATE INDEX tasks_owner ON tasks (owner, seq);

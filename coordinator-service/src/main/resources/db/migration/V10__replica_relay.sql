-- Outbound agents reachable from every replica (SPEC §19, ADR 0013 "Relay"). Portable SQL: the same migration runs on
-- the embedded H2 and on PostgreSQL.

-- The replica that holds an outbound node's WebSocket; NULL when none does (inbound nodes, a dropped link, a dead
-- replica). Another replica relays the node's requests through this one.
ALTER TABLE nodes ADD COLUMN link_replica VARCHAR(64);

-- Where each replica's relay endpoint is reached by the others (mesh.replicas.relay-url).
CREATE TABLE replica_relays (
    replica    VARCHAR(64)  NOT NULL PRIMARY KEY,
    url        VARCHAR(512) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The secret replicas authenticate each other's relay calls with: written once by the first replica that needs it,
-- read by every other. No node token or client key ever matches it.
CREATE TABLE replica_secrets (
    name   VARCHAR(32)  NOT NULL PRIMARY KEY,
    secret VARCHAR(128) NOT NULL
);

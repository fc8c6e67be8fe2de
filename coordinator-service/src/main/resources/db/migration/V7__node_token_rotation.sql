-- Node token rotation through the heartbeat reply (SPEC §18, ADR 0014). Hashes only, never a token.
-- Portable SQL: the same migration runs on the embedded H2 and on PostgreSQL.

-- One row per node whose token the rotation schedule follows. The row belongs to the token in current_hash: when
-- nodes.token_hash is something else (the node registered again and got a fresh token), the row is stale and neither
-- its pending nor its previous token is accepted.
--   pending_hash:  issued in a heartbeat reply and not used yet; its first use makes it the node's token
--   previous_hash: the token the pending one replaced, accepted until previous_expires_at (the overlap window)
--   rotated_at:    when the current token took effect, the start of the rotation interval
CREATE TABLE node_token_rotations (
    node_id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    current_hash        VARCHAR(64)  NOT NULL,
    rotated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    pending_hash        VARCHAR(64),
    pending_issued_at   TIMESTAMP WITH TIME ZONE,
    previous_hash       VARCHAR(64),
    previous_expires_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT node_token_rotations_node FOREIGN KEY (node_id) REFERENCES nodes (id) ON DELETE CASCADE
);

CREATE INDEX node_token_rotations_pending ON node_token_rotations (pending_hash);
CREATE INDEX node_token_rotations_previous ON node_token_rotations (previous_hash);

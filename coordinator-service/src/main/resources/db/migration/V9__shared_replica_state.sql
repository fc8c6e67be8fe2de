-- State that several coordinators on one database share (SPEC §19, ADR 0013). Portable SQL: the same migration runs
-- on the embedded H2 and on PostgreSQL.

-- Failed dashboard logins, per client address and per user name, so a failure on one replica counts on all of them.
-- The key is the SHA-256 of the address or the lower-cased user name (base64url), never the name itself.
--   version: bumped by every write, so two replicas counting the same key at once do not lose a failure
--   touched: ever-growing, bumped on a failure and on a lookup; the smallest is the least recently used row, dropped
--            first when the table passes its cap
CREATE TABLE login_failures (
    throttle_key VARCHAR(64) NOT NULL PRIMARY KEY,
    failures     INTEGER     NOT NULL,
    last_failure TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_until TIMESTAMP WITH TIME ZONE NOT NULL,
    version      BIGINT      NOT NULL,
    touched      BIGINT      NOT NULL
);

CREATE INDEX login_failures_touched ON login_failures (touched);

-- Nodes that just failed a forward, kept out of automatic selection until cooling_until (the coordinators' clocks), on
-- every replica. A row whose time has passed means nothing; the replica that refreshes next deletes it.
CREATE TABLE node_cooldowns (
    node_id       VARCHAR(64) NOT NULL PRIMARY KEY,
    cooling_until TIMESTAMP WITH TIME ZONE NOT NULL
);

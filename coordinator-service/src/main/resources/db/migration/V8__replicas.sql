-- Several coordinators on one database (SPEC §19, ADR 0013). Portable SQL: the same migration runs on H2 and
-- PostgreSQL.

-- ShedLock's lock table: one row per lock; the scheduler leader's lease is the row named 'scheduler-leader'.
-- TIMESTAMP without a zone, because ShedLock writes the database's UTC time (usingDbTime) into it.
CREATE TABLE shedlock (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    lock_until TIMESTAMP(3) NOT NULL,
    locked_at  TIMESTAMP(3) NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);

-- Every running coordinator, renewed every mesh.replicas.heartbeat-interval: a replica whose row went stale is dead,
-- and the tasks it followed are adopted by the others.
CREATE TABLE coordinator_replicas (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    address    VARCHAR(255) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The replica that dispatches (queued) or follows (assigned, running) a task; NULL for tasks written before V8.
ALTER TABLE tasks ADD COLUMN replica VARCHAR(64);

CREATE INDEX tasks_replica ON tasks (replica, status);

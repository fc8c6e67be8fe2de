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

-- Dashboard sessions on PostgreSQL, shared by the replicas (Spring Session JDBC's own schema, in portable types). On
-- H2 (one coordinator) the tables stay empty: its sessions are Tomcat's, in memory.
CREATE TABLE SPRING_SESSION (
    PRIMARY_ID            CHAR(36)     NOT NULL,
    SESSION_ID            CHAR(36)     NOT NULL,
    CREATION_TIME         BIGINT       NOT NULL,
    LAST_ACCESS_TIME      BIGINT       NOT NULL,
    MAX_INACTIVE_INTERVAL INT          NOT NULL,
    EXPIRY_TIME           BIGINT       NOT NULL,
    PRINCIPAL_NAME        VARCHAR(100),
    CONSTRAINT SPRING_SESSION_PK PRIMARY KEY (PRIMARY_ID)
);

CREATE UNIQUE INDEX SPRING_SESSION_IX1 ON SPRING_SESSION (SESSION_ID);
CREATE INDEX SPRING_SESSION_IX2 ON SPRING_SESSION (EXPIRY_TIME);
CREATE INDEX SPRING_SESSION_IX3 ON SPRING_SESSION (PRINCIPAL_NAME);

CREATE TABLE SPRING_SESSION_ATTRIBUTES (
    SESSION_PRIMARY_ID CHAR(36)     NOT NULL,
    ATTRIBUTE_NAME     VARCHAR(200) NOT NULL,
    ATTRIBUTE_BYTES    BYTEA        NOT NULL,
    CONSTRAINT SPRING_SESSION_ATTRIBUTES_PK PRIMARY KEY (SESSION_PRIMARY_ID, ATTRIBUTE_NAME),
    CONSTRAINT SPRING_SESSION_ATTRIBUTES_FK FOREIGN KEY (SESSION_PRIMARY_ID)
        REFERENCES SPRING_SESSION (PRIMARY_ID) ON DELETE CASCADE
);

-- Agents that dial out (SPEC §17, ADR 0010): how the coordinator reaches each node, and no endpoint for a node that
-- holds a WebSocket to the coordinator instead. Portable SQL: runs on the embedded H2 and on PostgreSQL.

ALTER TABLE nodes ADD COLUMN connect_mode VARCHAR(16) DEFAULT 'inbound' NOT NULL;

ALTER TABLE nodes ALTER COLUMN endpoint DROP NOT NULL;

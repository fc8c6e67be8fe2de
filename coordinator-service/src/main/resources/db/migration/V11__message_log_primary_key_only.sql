-- The message log is written once per routed message and pruned as often (issue 19): every index is written twice per
-- row. The (node_id, seq) index doubled the writer's CPU per row (bench/README.md, "Issue 19", sixth session) and
-- served only the dashboard's per-node list, which now scans the bounded table (mesh.messages.max-rows, 10,000).
-- Portable SQL: the same migration runs on the embedded H2 and on PostgreSQL.
DROP INDEX IF EXISTS message_log_node;

-- Every task is four committed writes (insert, assigned, running, final), and each index a write changes is stored
-- again at its commit (issue 13: commits were a fifth to a third of the coordinator's CPU per task). Two indexes served
-- no query that another index does not serve as well:
-- - tasks_replica (replica, status): every query that names a replica also asks for the unfinished statuses, which
--   tasks_status (status, seq) finds; the unfinished rows are bounded by the queue (mesh.tasks.max-queued) and the
--   running tasks, so filtering them by replica is cheap. It moved at every status change.
-- - tasks_node (node_id, seq): its one query, the task list's node filter, is "node_id = ? OR node_name = ?", and with
--   node_name unindexed neither H2 nor PostgreSQL can use it; that list reads newest first by the primary key. It
--   moved at every assignment and return to the queue.
-- Portable SQL: the same migration runs on the embedded H2 and on PostgreSQL.
DROP INDEX IF EXISTS tasks_replica;
DROP INDEX IF EXISTS tasks_node;

-- Nothing to change: PostgreSQL keeps task_events in a heap, in the order rows are written, with
-- (task_id, seq) as its primary key index; SQLite's 0015 moves its table to that layout. The version
-- exists here so both engines share one migration history.
SELECT 1;

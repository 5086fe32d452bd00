-- Nothing to undo (see 0015_events_in_write_order.up.sql).
SELECT 1;

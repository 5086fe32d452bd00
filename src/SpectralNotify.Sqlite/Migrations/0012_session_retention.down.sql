DROP INDEX ix_sessions_ended;

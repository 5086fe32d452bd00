-- Ended sessions are deleted once they are older than Spectral:SessionRetention (the expiry sweep):
-- this index lets each pass find them without reading the live ones.
CREATE INDEX ix_sessions_ended ON sessions (ended_at) WHERE NOT active;

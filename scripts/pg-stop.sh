#!/usr/bin/env bash
# Stop the throwaway PostgreSQL; --wipe also deletes its data folder.
PGROOT="${PGROOT:-/tmp/spectral-pg}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop || true
[ "${1:-}" = "--wipe" ] && rm -rf "$PGROOT"
exit 0

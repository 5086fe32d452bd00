#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL on 127.0.0.1 for tests and benchmarks; idempotent.
# Installs PostgreSQL from apt when missing. Prints the Npgsql connection string.
# Runs as root (CI) and drops to the postgres user for the server itself.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGROOT="${PGROOT:-/tmp/spectral-pg}"
PGDATA="$PGROOT/data"
PGDB="${PGDB:-spectral}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq postgresql; } >&2
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
mkdir -p "$PGROOT" && chown postgres:postgres "$PGROOT"
as_pg() { runuser -u postgres -- "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  # fsync stays on by default so benchmarks measure durable commits; tests may pass PG_FAST=1.
  EXTRA=""
  [ "${PG_FAST:-0}" = "1" ] && EXTRA="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGROOT/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c max_connections=300 $EXTRA" start >/dev/null
fi
if ! as_pg psql -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "select 1 from pg_database where datname='$PGDB'" | grep -q 1; then
  as_pg createdb -h 127.0.0.1 -p "$PGPORT" -U postgres "$PGDB"
fi
echo "Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=$PGDB"

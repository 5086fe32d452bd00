#!/usr/bin/env bash
# The PostgreSQL write floor: pgbench with a one-row INSERT per transaction on the same instance
# as a benchmark run (docs/benchmarks.md "Peers in the same run").
#
#   bench/pgbench-floor.sh [CLIENTS ...]   (default: 64 16)
#
# For every client count: creates a scratch table, runs
#   pgbench -n -c CLIENTS -j PGBENCH_THREADS -T PGBENCH_DURATION -f <one-row INSERT>
# and prints one JSON line: tps, latency (average from pgbench; p50/p99/max from its per-transaction
# log), xact_commit delta per transaction; then drops the table.
#
# Settings (environment):
#   PG_CONN=               Npgsql connection string; empty = start run.sh's throwaway fsync-on PostgreSQL
#                          (BENCH_PGPORT=55490, BENCH_PGROOT=/tmp/spectral-pg-bench)
#   PGBENCH_DURATION=10    seconds per client count
#   PGBENCH_THREADS=2      pgbench -j
#   PGBENCH_ARGS=          extra pgbench arguments (e.g. "-M prepared")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/pg.sh
. "$ROOT/bench/lib/pg.sh"
CLIENTS=("$@")
[ ${#CLIENTS[@]} -eq 0 ] && CLIENTS=(64 16)
DURATION="${PGBENCH_DURATION:-10}"
THREADS="${PGBENCH_THREADS:-2}"
PGBENCH="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1)"
[ -x "$PGBENCH" ] || { echo "pgbench not found (apt-get install postgresql-client)" >&2; exit 1; }
pg_ensure

work="$(mktemp -d /tmp/pgbench-floor.XXXXXX)"
table="pgbench_floor_$$_$RANDOM"
cleanup() { psql_run "drop table if exists $table" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
# One row per transaction, about the size of a task progress change (a short message, a number).
echo "insert into $table (task, progress, message) values ('t-' || :client_id, random(), 'step done; writing the next chunk of the import');" >"$work/insert.sql"

for clients in "${CLIENTS[@]}"; do
  psql_run "drop table if exists $table; create table $table (id bigint generated always as identity primary key, task text not null, progress double precision, message text, at timestamptz not null default now())" >/dev/null
  c0="$(pg_commits)"
  # shellcheck disable=SC2046,SC2086
  (cd "$work" && rm -f pgbench_log.* && env $(pg_env) "$PGBENCH" -n -c "$clients" -j "$THREADS" -T "$DURATION" -l -f insert.sql ${PGBENCH_ARGS:-} >"$work/out.txt" 2>"$work/err.txt") \
    || { cat "$work/err.txt" "$work/out.txt" >&2; exit 1; }
  c1="$(pg_commits)"
  cat "$work/out.txt" >&2
  tx="$(awk -F': ' '/number of transactions actually processed/{split($2,a,"/"); print a[1]}' "$work/out.txt")"
  failed="$(awk -F': ' '/number of failed transactions/{split($2,a," "); print a[1]}' "$work/out.txt")"
  tps="$(awk '/^tps = /{print $3}' "$work/out.txt" | head -1)"
  lat="$(awk '/^latency average = /{print $4}' "$work/out.txt")"
  # Per-transaction log: column 3 is the latency in microseconds.
  read -r p50 p99 max < <(cat "$work"/pgbench_log.* | awk '{print $3}' | sort -n | awk '{v[NR]=$1} END {
    if (NR == 0) { print "null null null"; exit }
    i50 = int(NR*0.50); if (i50 < 1) i50 = 1; i99 = int(NR*0.99); if (i99 < 1) i99 = 1
    printf "%.3f %.3f %.3f\n", v[i50]/1000, v[i99]/1000, v[NR]/1000 }')
  commits=$(( c1 - c0 ))
  printf '{"scenario":"pgbench-floor","clients":%d,"threads":%d,"duration_s":%d,"transactions":%d,"failed":%s,"tps":%s,"latency":{"avg_ms":%s,"p50_ms":%s,"p99_ms":%s,"max_ms":%s},"commits":%d,"commits_per_op":%s,"pgbench_args":"%s","server":"%s"}\n' \
    "$clients" "$THREADS" "$DURATION" "${tx:-0}" "${failed:-0}" "${tps:-null}" "${lat:-null}" "$p50" "$p99" "$max" "$commits" \
    "$(awk -v c="$commits" -v t="${tx:-0}" 'BEGIN{ if (t > 0) printf "%.3f", c/t; else print "null" }')" "${PGBENCH_ARGS:-}" \
    "$(psql_run "select 'fsync=' || current_setting('fsync') || ' synchronous_commit=' || current_setting('synchronous_commit') || ' ' || split_part(version(), ' on ', 1)")"
done

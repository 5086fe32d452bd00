#!/usr/bin/env bash
# Peers at their best, in the same run (issue 14): one invocation measures the references and our
# server on the same machine and the same PostgreSQL, interleaved, and reports the ratio of each pair.
#
#   bench/compare.sh [postgres] [floor jobs ingest fanout ...]   (default: postgres, all four steps)
#
# Steps, in this order:
#   floor   bench/pgbench-floor.sh 64 16: one-row INSERT per transaction at 64 and 16 clients
#   jobs    RUNS pairs of (graphile-worker 0.17.3 burndown.mjs at its best documented settings,
#           then our jobs scenario via bench/run.sh postgres jobs), alternating: peer, ours, peer, ours
#   ingest  our durable ingest (bench/run.sh postgres ingest), INGEST_RUNS times
#   fanout  RUNS pairs of (Socket.IO 4.8.4 fan-out, bench/socketio, then ours: run.sh postgres fanout,
#           then ours with Node (undici) subscribers: run.sh postgres fanout-node), same N, R, D
# Output: bench/results/<utc>-compare/ with results.jsonl (every line tagged "step" and "pair"),
# each run.sh run's own directory, and summary.txt (the ratios; also printed).
#
# Ratios (ours / reference; targets in issue 14 are all >= 1.0 except fan-out p99, <= 1.0):
#   burn-down / graphile burn-down, bulk enqueue / graphile addJobs, single enqueue (JOBS_CLIENTS=16
#   clients) / pgbench 16-client tps, ingest / pgbench 64-client tps (and ingest p99 <= 50 ms),
#   fan-out delivery p99 / Socket.IO p99 (lower is better), memory per subscriber.
#
# Settings (environment), besides every bench/run.sh setting (passed through: JOBS_*, INGEST_*, FANOUT_*):
#   RUNS=2                 pairs per step (jobs, fanout)
#   INGEST_RUNS=1          our ingest runs
#   JOBS_COUNT=100000      the same number of no-op jobs on both sides
#   JOBS_BATCH=250         our POST /api/v1/runs batch (its maximum)
#   GRAPHILE_BATCH=0       graphile addJobs batch; 0 = all jobs in one call (perfTest/init.js, the docs' best)
#   GRAPHILE_ARGS=         extra burndown.mjs flags (its defaults are the best documented settings)
#   JOBS_CONCURRENCY=24 JOBS_PREFETCH=500   ours, equal to graphile's concurrentJobs / localQueue.size
#   PGBENCH_DURATION=10    seconds per pgbench client count
#   PG_CONN=               as run.sh: empty = the throwaway fsync-on PostgreSQL on BENCH_PGPORT=55490
#   WAIT_IDLE=120 IDLE_PCT=85   as run.sh, also before each peer run
#   SKIP_BUILD=0           1 = use the Release builds already there
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/pg.sh
. "$ROOT/bench/lib/pg.sh"
ENGINE="${1:-postgres}"
[ $# -gt 0 ] && shift
[ "$ENGINE" = postgres ] || { echo "usage: bench/compare.sh [postgres] [floor jobs ingest fanout ...] (the peers need PostgreSQL)" >&2; exit 2; }
STEPS=("$@")
[ ${#STEPS[@]} -eq 0 ] && STEPS=(floor jobs ingest fanout)
for s in "${STEPS[@]}"; do
  case "$s" in floor|jobs|ingest|fanout) ;; *) echo "unknown step '$s' (floor, jobs, ingest, fanout)" >&2; exit 2 ;; esac
done
export RUNS="${RUNS:-2}"
INGEST_RUNS="${INGEST_RUNS:-1}"
export JOBS_COUNT="${JOBS_COUNT:-100000}"
export JOBS_BATCH="${JOBS_BATCH:-250}"
export JOBS_CONCURRENCY="${JOBS_CONCURRENCY:-24}"
export JOBS_PREFETCH="${JOBS_PREFETCH:-500}"
GRAPHILE_BATCH="${GRAPHILE_BATCH:-0}"
export FANOUT_SUBSCRIBERS="${FANOUT_SUBSCRIBERS:-1000}" FANOUT_RATE="${FANOUT_RATE:-20}" FANOUT_DURATION="${FANOUT_DURATION:-10}"
OUT="${OUT:-$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-compare}"
mkdir -p "$OUT"
log() { echo "[compare.sh $(date -u +%H:%M:%S)] $*" >&2; }
has() { local x; for x in "${STEPS[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }

pg_ensure
DATABASE_URL="$(pg_url)"
export PG_CONN
# Commits per operation are pg_stat_database.xact_commit deltas: database-wide, so they (and every
# rate here) are only clean when nothing else uses this instance. Say so when something does.
others="$(psql_run "select count(*) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()")"
[ "$others" != 0 ] && log "WARNING: $others other client connection(s) on this PostgreSQL (another benchmark?): commits per operation and rates will include their work; use BENCH_PGPORT=55491 BENCH_PGROOT=/tmp/spectral-pg-bench2 for an instance of your own"

# The peers' packages, installed from their lock files (offline-capable from the npm mirror).
for dir in graphile socketio node-subscribers; do
  case "$dir" in graphile) has jobs || continue ;; *) has fanout || continue ;; esac
  if [ ! -d "$ROOT/bench/$dir/node_modules" ]; then
    log "npm ci in bench/$dir"; (cd "$ROOT/bench/$dir" && npm ci --no-audit --no-fund >&2)
  fi
done
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building Release (server, load generator)"
  dotnet build -c Release "$ROOT/src/SpectralNotify.Cli" -nologo -v quiet >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
  dotnet build -c Release "$ROOT/bench/SpectralNotify.Bench" -nologo -v quiet >>"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
fi

record() { # record STEP PAIR JSON: appends JSON tagged with the step and pair to results.jsonl
  jq -c --arg step "$1" --argjson pair "$2" '{step: $step, pair: $pair} + .' <<<"$3" >>"$OUT/results.jsonl"
}
ours() { # ours STEP PAIR SCENARIO: one bench/run.sh run (RUNS=1) into its own directory; records its lines
  local dir="$OUT/$1-$2-ours-$3"
  RUNS=1 SKIP_BUILD=1 OUT="$dir" "$ROOT/bench/run.sh" postgres "$3" >"$dir.txt" 2>&1 || log "run.sh $3 exited $? (see $dir.txt)"
  if [ -s "$dir/results.jsonl" ]; then
    while IFS= read -r line; do record "$1" "$2" "$(jq -c '{side: "ours"} + .' <<<"$line")"; done <"$dir/results.jsonl"
  else
    record "$1" "$2" "{\"side\":\"ours\",\"scenario\":\"$3\",\"error\":\"no results (see $dir.txt)\"}"
  fi
}
idle() { # the same quiet-machine wait as run.sh's, before a peer run
  local max="${WAIT_IDLE:-120}" waited=0 good=0 pct a b
  [ "$max" -le 0 ] && return 0
  while [ "$waited" -lt "$max" ] && [ "$good" -lt 3 ]; do
    read -r -a a </proc/stat; sleep 1; read -r -a b </proc/stat; waited=$(( waited + 1 ))
    pct=$(( 100 * (b[4] + b[5] - a[4] - a[5]) / ( (b[1]+b[2]+b[3]+b[4]+b[5]+b[6]+b[7]+b[8]) - (a[1]+a[2]+a[3]+a[4]+a[5]+a[6]+a[7]+a[8]) + 1 ) ))
    if [ "$pct" -ge "${IDLE_PCT:-85}" ]; then good=$(( good + 1 )); else good=0; fi
  done
  log "cpu idle ${pct:-?}% after waiting ${waited}s"
}

{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "steps: ${STEPS[*]}; pairs: $RUNS"
  echo "nproc: $(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
  echo "git HEAD: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "other client connections at start: $others"
  echo "postgres: $(psql_run "select 'fsync=' || current_setting('fsync') || ' synchronous_commit=' || current_setting('synchronous_commit') || ' ' || version()")"
  echo "node: $(node --version); pgbench: $(pgbench --version)"
  echo "jobs: count=$JOBS_COUNT ours batch=$JOBS_BATCH concurrency=$JOBS_CONCURRENCY prefetch=$JOBS_PREFETCH clients=${JOBS_CLIENTS:-16}; graphile addJobs batch=$GRAPHILE_BATCH (0 = all) args=${GRAPHILE_ARGS:-}"
  echo "fanout: subscribers=$FANOUT_SUBSCRIBERS rate=$FANOUT_RATE duration=$FANOUT_DURATION"
} | tee "$OUT/environment.txt" >&2

if has floor; then
  log "=== pgbench floor (64 and 16 clients)"
  idle
  "$ROOT/bench/pgbench-floor.sh" 64 16 2>"$OUT/pgbench.txt" | while IFS= read -r line; do record floor 0 "$(jq -c '{side: "pgbench"} + .' <<<"$line")"; done
fi

for pair in $(seq 1 "$RUNS"); do
  if has jobs; then
    log "=== jobs pair $pair: graphile-worker"
    idle
    # shellcheck disable=SC2086
    if (cd "$ROOT/bench/graphile" && DATABASE_URL="$DATABASE_URL" node burndown.mjs --count "$JOBS_COUNT" --batch "$GRAPHILE_BATCH" \
          --concurrency "$JOBS_CONCURRENCY" --local-queue "$JOBS_PREFETCH" ${GRAPHILE_ARGS:-}) >"$OUT/jobs-$pair-graphile.txt" 2>&1; then
      record jobs "$pair" "$(tail -1 "$OUT/jobs-$pair-graphile.txt" | jq -c '{side: "graphile"} + .')"
    else
      log "graphile burndown failed (see $OUT/jobs-$pair-graphile.txt)"; tail -5 "$OUT/jobs-$pair-graphile.txt" >&2
    fi
    log "=== jobs pair $pair: ours"
    ours jobs "$pair" jobs
  fi
  if has fanout; then
    log "=== fanout pair $pair: Socket.IO 4.8.4"
    idle
    if (cd "$ROOT/bench/socketio" && node fanout.mjs --subscribers "$FANOUT_SUBSCRIBERS" --rate "$FANOUT_RATE" --duration "$FANOUT_DURATION") \
        >"$OUT/fanout-$pair-socketio.txt" 2>&1; then
      record fanout "$pair" "$(tail -1 "$OUT/fanout-$pair-socketio.txt" | jq -c '{side: "socketio"} + .')"
    else
      log "Socket.IO fan-out failed (see $OUT/fanout-$pair-socketio.txt)"; tail -5 "$OUT/fanout-$pair-socketio.txt" >&2
    fi
    log "=== fanout pair $pair: ours (.NET subscribers, then Node undici subscribers)"
    ours fanout "$pair" fanout
    ours fanout "$pair" fanout-node
  fi
done
if has ingest; then
  for i in $(seq 1 "$INGEST_RUNS"); do
    # The floor again right before each ingest run: the instance's state (checkpoints, autovacuum after
    # the jobs steps) moves both, so each ingest is compared with the floor measured next to it.
    log "=== ingest $i: pgbench floor (64 clients) next to it"
    idle
    "$ROOT/bench/pgbench-floor.sh" 64 2>>"$OUT/pgbench.txt" | while IFS= read -r line; do record floor-ingest "$i" "$(jq -c '{side: "pgbench"} + .' <<<"$line")"; done
    log "=== ingest $i: ours"
    ours ingest "$i" ingest
  done
fi

# Ratios of each pair (and against the pgbench floor), from results.jsonl.
jq -rs -f "$ROOT/bench/compare-summary.jq" "$OUT/results.jsonl" | tee "$OUT/summary.txt"
echo "results: $OUT"

#!/usr/bin/env bash
# Benchmarks a SpectralNotify server against spectral-bench (docs/benchmarks.md).
#
#   bench/run.sh [sqlite|postgres] [ingest|fanout|fanout-node|fanout-2node|counter|jobs|mux|cron ...]  (defaults: sqlite, ingest fanout counter)
#
# Builds the server and the load generator once (Release). Then, for every repetition (RUNS,
# default 2) and every scenario, it starts a fresh server on a fresh database in its own process
# (SQLite: a new temp dir; PostgreSQL: a new schema via "Search Path"), waits for /readyz, runs the
# scenario, stops the server and checks its log. Output: bench/results/<utc>-<engine>/ (each run's
# text, the server logs, results.jsonl). Stop the throwaway PostgreSQL it may have started with
# PGROOT=/tmp/spectral-pg-bench scripts/pg-stop.sh.
#
# Settings (environment):
#   RUNS=2  PORT=18095  KEY=benchkey-0123456789abcdef  SKIP_BUILD=0  OUT=<dir>
#   INGEST_CLIENTS=64  INGEST_TASKS=256  INGEST_DURATION=10  INGEST_WARMUP=15
#   FANOUT_SUBSCRIBERS=1000  FANOUT_RATE=20  FANOUT_DURATION=10
#     "fanout-node": the same fan-out with Node subscribers (undici's WebSocket, bench/node-subscribers;
#     npm ci there first): delivery latency, loss, server RSS per connection after connect and after traffic.
#   MUX_SUBSCRIPTIONS=1000  MUX_RATE=20  MUX_DURATION=10  MUX_BATCH=250  MUX_SUBSCRIBE=1  MUX_WARMUP=15
#     "mux": one protocol-v2 connection with MUX_SUBSCRIPTIONS task subscriptions, each task written MUX_RATE
#     times/s through POST /api/v1/tasks/batch (MUX_BATCH tasks per batch); the server gets
#     Spectral__LiveMaxSubscriptions=MUX_SUBSCRIPTIONS. MUX_SUBSCRIBE=0 offers the same writes with nobody subscribed.
#     MUX_WARMUP seconds of the same load come first (then the bench waits for them to be delivered), as
#     INGEST_WARMUP does for ingest: a fresh server is still compiling its hot paths for ~15 s.
#   "fanout-2node" (PostgreSQL): the fan-out with a second server on the same database (PORT+1): half the
#     subscribers connect to each node, and the events are posted to both in turn.
#   CRON_JOBS=1000  CRON_DURATION=10  CRON_ALIGNED=0  CRON_NODES=2 (PostgreSQL; SQLite is always 1)
#     "cron": CRON_JOBS jobs firing every second (1 s intervals spread over a second; CRON_ALIGNED=1: the cron
#     "* * * * * ?", all due at the same instant) on a queue no worker serves; lag from due time to firing, doubled
#     and missed firings. On PostgreSQL with a second server on the same database (PORT+1), jobs created through both.
#   JOBS_COUNT=100000  JOBS_BATCH=250  JOBS_CLIENTS=16  JOBS_CONCURRENCY=24  JOBS_PREFETCH=500  JOBS_RATE=200  JOBS_DURATION=10
#     "jobs" runs two servers on one database: first with Workers__Enabled=false (enqueue phase), then
#     with in-process workers (Workers__Queues__default=JOBS_CONCURRENCY, Workers__Prefetch=JOBS_PREFETCH:
#     the tuned settings graphile-worker documents are concurrentJobs 24, localQueue 500; 0 = our default) for the burn-down and latency
#     phase. On PostgreSQL it also records commits in that phase (pg_stat_database.xact_commit).
#   WAIT_IDLE=120  IDLE_PCT=85   before each run, wait up to WAIT_IDLE s for a quiet machine (0 = don't)
#   SERVER_LOG_LEVEL=         e.g. Debug; empty = the server's own default (Information, Microsoft.AspNetCore at Warning)
#   SERVER_ENV=               extra VAR=value pairs for the server, e.g. "DOTNET_gcServer=0"
#   PG_CONN=                  Npgsql connection string; empty = start a throwaway PostgreSQL with
#                             scripts/pg-start.sh on BENCH_PGPORT=55490 / BENCH_PGROOT=/tmp/spectral-pg-bench
#                             (fsync on; a separate instance from the tests' PG_FAST one on 55432)
#   KEEP_SCHEMA=0             1 keeps each run's PostgreSQL schema instead of dropping it
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINE="${1:-sqlite}"
[ $# -gt 0 ] && shift
case "$ENGINE" in
  sqlite|postgres) ;;
  *) echo "usage: bench/run.sh [sqlite|postgres] [ingest|fanout|fanout-node|fanout-2node|counter|jobs|mux|cron ...]" >&2; exit 2 ;;
esac
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -eq 0 ] && SCENARIOS=(ingest fanout counter)
for s in "${SCENARIOS[@]}"; do
  case "$s" in ingest|fanout|fanout-node|fanout-2node|counter|jobs|mux|cron) ;; *) echo "unknown scenario '$s' (ingest, fanout, fanout-node, fanout-2node, counter, jobs, mux, cron)" >&2; exit 2 ;; esac
  if [ "$s" = fanout-2node ] && [ "$ENGINE" != postgres ]; then echo "fanout-2node needs postgres (two nodes share one database)" >&2; exit 2; fi
done

RUNS="${RUNS:-2}"
PORT="${PORT:-18095}"
KEY="${KEY:-benchkey-0123456789abcdef}"
URL="http://127.0.0.1:$PORT"
INGEST_CLIENTS="${INGEST_CLIENTS:-64}"
INGEST_TASKS="${INGEST_TASKS:-256}"
INGEST_DURATION="${INGEST_DURATION:-10}"
# 15 s: the server's tiered JIT (tier 0, then instrumented, then optimized code) is still compiling
# for about 10 s under this load, which a perf profile showed as ~28 % of the samples in the first
# seconds; a long-running server has paid that once. Peers' benchmarks warm up as long (wrk's users, TechEmpower's 15 s).
INGEST_WARMUP="${INGEST_WARMUP:-15}"
FANOUT_SUBSCRIBERS="${FANOUT_SUBSCRIBERS:-1000}"
FANOUT_RATE="${FANOUT_RATE:-20}"
FANOUT_DURATION="${FANOUT_DURATION:-10}"
MUX_SUBSCRIPTIONS="${MUX_SUBSCRIPTIONS:-1000}"
MUX_RATE="${MUX_RATE:-20}"
MUX_DURATION="${MUX_DURATION:-10}"
MUX_BATCH="${MUX_BATCH:-250}" # POST /api/v1/tasks/batch takes at most 250 operations
MUX_SUBSCRIBE="${MUX_SUBSCRIBE:-1}"
MUX_WARMUP="${MUX_WARMUP:-15}"
CRON_JOBS="${CRON_JOBS:-1000}"
CRON_DURATION="${CRON_DURATION:-10}"
CRON_ALIGNED="${CRON_ALIGNED:-0}"
CRON_NODES="${CRON_NODES:-2}"
PORT2="$((PORT + 1))"
URL2="http://127.0.0.1:$PORT2"
JOBS_COUNT="${JOBS_COUNT:-100000}"
JOBS_BATCH="${JOBS_BATCH:-250}" # POST /api/v1/runs takes at most 250 runs
JOBS_CLIENTS="${JOBS_CLIENTS:-16}"
JOBS_CONCURRENCY="${JOBS_CONCURRENCY:-24}"
JOBS_PREFETCH="${JOBS_PREFETCH:-500}"
JOBS_RATE="${JOBS_RATE:-200}"
JOBS_DURATION="${JOBS_DURATION:-10}"
OUT="${OUT:-$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$ENGINE}"
SERVER_DLL="${SERVER_DLL:-$ROOT/src/SpectralNotify.Cli/bin/Release/net10.0/spectral.dll}" # another build: compare before/after
BENCH_DLL="$ROOT/bench/SpectralNotify.Bench/bin/Release/net10.0/spectral-bench.dll"
mkdir -p "$OUT"
log() { echo "[run.sh $(date -u +%H:%M:%S)] $*" >&2; }

# Sockets: the server and the load generator each hold one descriptor per subscriber.
need=$(( FANOUT_SUBSCRIBERS * 2 + INGEST_CLIENTS * 2 + 1024 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  hard="$(ulimit -Hn)"
  target=65536
  [ "$hard" != unlimited ] && [ "$hard" -lt "$target" ] && target="$hard"
  ulimit -n "$target" || true
  if [ "$(ulimit -n)" -lt "$need" ]; then
    log "ulimit -n is $(ulimit -n), below the $need descriptors $FANOUT_SUBSCRIBERS subscribers need; raise the hard limit"; exit 1
  fi
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building Release (server, load generator)"
  dotnet build -c Release "$ROOT/src/SpectralNotify.Cli" -nologo -v quiet >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
  dotnet build -c Release "$ROOT/bench/SpectralNotify.Bench" -nologo -v quiet >>"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
fi

PG_CONN="${PG_CONN:-}"
# shellcheck source=lib/pg.sh
. "$ROOT/bench/lib/pg.sh" # psql_run, pg_ensure (the throwaway PostgreSQL when PG_CONN is empty)
if [ "$ENGINE" = postgres ]; then
  pg_ensure
  # The postmaster, when local: its CPU (with its backends) is reported apart from "other processes".
  pg_port="$(tr ';' '\n' <<<"$PG_CONN" | awk -F= 'tolower($1)=="port"{print $2}' | tail -1)"
  DB_PID="$(ss -ltnpH "sport = :${pg_port:-5432}" 2>/dev/null | grep -o 'postgres",pid=[0-9]*' | head -1 | cut -d= -f2 || true)"
  PG_SETTINGS="$(psql_run "select 'fsync=' || current_setting('fsync') || ' synchronous_commit=' || current_setting('synchronous_commit') || ' full_page_writes=' || current_setting('full_page_writes') || ' ' || version()")"
  log "PostgreSQL: $PG_SETTINGS"
fi

{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "engine: $ENGINE"
  echo "scenarios: ${SCENARIOS[*]} x $RUNS"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
  echo "kernel: $(uname -r)"
  echo "free -g:"; free -g
  echo "dotnet: $(dotnet --version)"
  echo "ulimit -n: $(ulimit -n)"
  echo "git HEAD: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "uncommitted files under src/: $(git -C "$ROOT" status --short -- src 2>/dev/null | wc -l)"
  echo "server binary: $(date -u -r "$SERVER_DLL" +%Y-%m-%dT%H:%M:%SZ) ($([ "${SKIP_BUILD:-0}" = 1 ] && echo 'SKIP_BUILD: built earlier, maybe from another commit' || echo 'built by this run'))"
  echo "server log level: ${SERVER_LOG_LEVEL:-default}"
  echo "server env: ${SERVER_ENV:-}"
  [ "$ENGINE" = postgres ] && echo "postgres: $PG_SETTINGS (postmaster pid ${DB_PID:-unknown})"
  echo "ingest: clients=$INGEST_CLIENTS tasks=$INGEST_TASKS duration=$INGEST_DURATION warmup=$INGEST_WARMUP"
  echo "fanout: subscribers=$FANOUT_SUBSCRIBERS rate=$FANOUT_RATE duration=$FANOUT_DURATION"
  echo "mux: subscriptions=$MUX_SUBSCRIPTIONS rate=$MUX_RATE duration=$MUX_DURATION batch=$MUX_BATCH subscribe=$MUX_SUBSCRIBE warmup=$MUX_WARMUP"
  echo "cron: jobs=$CRON_JOBS duration=$CRON_DURATION aligned=$CRON_ALIGNED nodes=$CRON_NODES"
  echo "jobs: count=$JOBS_COUNT batch=$JOBS_BATCH clients=$JOBS_CLIENTS concurrency=$JOBS_CONCURRENCY prefetch=$JOBS_PREFETCH rate=$JOBS_RATE duration=$JOBS_DURATION"
} >"$OUT/environment.txt"
cat "$OUT/environment.txt" >&2

# The machine may be shared: before each run wait (up to WAIT_IDLE s) until the CPUs were at least
# IDLE_PCT % idle for 3 consecutive seconds, and record what was seen.
cpu_idle_pct() {
  local a b
  read -r -a a < /proc/stat; sleep 1; read -r -a b < /proc/stat
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  local idle=$(( b[4] + b[5] - a[4] - a[5] ))
  [ "$total" -gt 0 ] && echo $(( 100 * idle / total )) || echo 100
}
IDLE_NOTE="not checked"
wait_idle() {
  local max="${WAIT_IDLE:-120}" waited=0 good=0 pct=100
  [ "$max" -le 0 ] && { IDLE_NOTE="not checked"; return 0; }
  while [ "$waited" -lt "$max" ]; do
    pct="$(cpu_idle_pct)"; waited=$(( waited + 1 ))
    if [ "$pct" -ge "${IDLE_PCT:-85}" ]; then good=$(( good + 1 )); [ "$good" -ge 3 ] && break; else good=0; fi
  done
  IDLE_NOTE="cpu idle ${pct}% after waiting ${waited}s"
  [ "$good" -lt 3 ] && IDLE_NOTE="$IDLE_NOTE (machine stayed busy; running anyway)"
  log "$IDLE_NOTE"
}

SERVER_PID=""
SERVER2_PID=""
SERVER_DIR=""
SCHEMA=""
start_server() { # start_server NAME
  if curl -fsS -o /dev/null --max-time 1 "$URL/healthz" 2>/dev/null; then
    log "something already answers on $URL; stop it or set PORT"; exit 1
  fi
  local db
  if [ "${REUSE_DB:-0}" = 1 ] && [ -n "$SERVER_DIR" ]; then
    : # the previous server's database (jobs: enqueue, then burn-down on the same data)
  else
    SERVER_DIR="$(mktemp -d /tmp/spectral-bench.XXXXXX)"
    [ "$ENGINE" = postgres ] && SCHEMA="bench_$(date -u +%Y%m%d%H%M%S)_$RANDOM"
  fi
  if [ "$ENGINE" = sqlite ]; then
    db="sqlite:$SERVER_DIR/spectral.db"
  else
    db="$PG_CONN;Search Path=$SCHEMA"
  fi
  local -a env=(SPECTRAL_DATABASE="$db" SPECTRAL_API_KEY="$KEY")
  # Every subscriber connects from 127.0.0.1: lift the per-IP live connection cap (default 200)
  # and, past 10,000 subscribers, the total cap above what the fan-out opens.
  local live_cap=$((FANOUT_SUBSCRIBERS + 100))
  env+=(Spectral__MaxLiveConnectionsPerIp="$live_cap" Spectral__MaxLiveConnections="$((live_cap > 10000 ? live_cap : 10000))")
  # shellcheck disable=SC2206
  [ -n "${EXTRA_ENV:-}" ] && env+=($EXTRA_ENV)
  if [ -n "${SERVER_LOG_LEVEL:-}" ]; then
    env+=(Logging__LogLevel__Default="$SERVER_LOG_LEVEL" Logging__LogLevel__Microsoft.AspNetCore="$SERVER_LOG_LEVEL")
  fi
  # shellcheck disable=SC2206
  [ -n "${SERVER_ENV:-}" ] && env+=($SERVER_ENV)
  (cd "$SERVER_DIR" && exec env "${env[@]}" dotnet "$SERVER_DLL" --urls "$URL") >"$OUT/$1.server.log" 2>&1 &
  SERVER_PID=$!
  log "server pid $SERVER_PID, database $db"
  if ! dotnet "$BENCH_DLL" wait --url "$URL" --timeout 60 >&2; then
    tail -40 "$OUT/$1.server.log" >&2; stop_server; exit 1
  fi
  if [ "${SECOND_NODE:-0}" = 1 ]; then
    # A second node on the same PostgreSQL schema, same settings (its own node id, generated at start).
    (cd "$SERVER_DIR" && exec env "${env[@]}" dotnet "$SERVER_DLL" --urls "$URL2") >"$OUT/$1.node2.server.log" 2>&1 &
    SERVER2_PID=$!
    log "second node pid $SERVER2_PID on $URL2"
    if ! dotnet "$BENCH_DLL" wait --url "$URL2" --timeout 60 >&2; then
      tail -40 "$OUT/$1.node2.server.log" >&2; stop_server; exit 1
    fi
  fi
}
stop_node2() {
  [ -z "$SERVER2_PID" ] && return 0
  if kill -0 "$SERVER2_PID" 2>/dev/null; then
    kill -TERM "$SERVER2_PID"
    for _ in $(seq 1 150); do kill -0 "$SERVER2_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER2_PID" 2>/dev/null || true
  else
    log "SECOND NODE DIED during the run (see its log)"
  fi
  wait "$SERVER2_PID" 2>/dev/null || true
  SERVER2_PID=""
}
stop_server() {
  stop_node2
  [ -z "$SERVER_PID" ] && return 0
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "SERVER DIED during the run (see its log)"
  else
    kill -TERM "$SERVER_PID"
    for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && { log "server did not stop in 15 s; killing"; kill -KILL "$SERVER_PID"; }
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  [ "${KEEP_DB:-0}" = 1 ] && return 0
  [ -n "$SERVER_DIR" ] && rm -rf "$SERVER_DIR"
  SERVER_DIR=""
  if [ -n "$SCHEMA" ] && [ "${KEEP_SCHEMA:-0}" != 1 ]; then
    psql_run "drop schema if exists \"$SCHEMA\" cascade" >/dev/null 2>&1 || log "could not drop schema $SCHEMA"
  fi
  SCHEMA=""
}
# Every scenario reports PostgreSQL commits per operation in its "resources" (spectral-bench --pg).
PG_ARGS=()
[ "$ENGINE" = postgres ] && PG_ARGS=(--pg "$PG_CONN")
commits() { if [ "$ENGINE" = postgres ]; then psql_run "select xact_commit from pg_stat_database where datname = current_database()"; else echo 0; fi; }
run_jobs() { # run_jobs NAME: enqueue with workers off, then burn-down + latency with workers on, same database
  local name="$1" code=0 c0 c1 result1 result2
  EXTRA_ENV="Workers__Enabled=false" start_server "$name-enqueue"
  set +e
  dotnet "$BENCH_DLL" jobs --phase enqueue --count "$JOBS_COUNT" --batch "$JOBS_BATCH" --clients "$JOBS_CLIENTS" --duration "$JOBS_DURATION" \
    --url "$URL" --key "$KEY" --server-pid "$SERVER_PID" "${PG_ARGS[@]}" | tee "$OUT/$name-enqueue.txt"
  code=${PIPESTATUS[0]}
  set -e
  KEEP_DB=1 stop_server
  c0="$(commits)"
  REUSE_DB=1 EXTRA_ENV="Workers__Queues__default=$JOBS_CONCURRENCY Workers__Prefetch=$JOBS_PREFETCH" start_server "$name-burndown"
  set +e
  dotnet "$BENCH_DLL" jobs --phase burndown --count "$JOBS_COUNT" --rate "$JOBS_RATE" --duration "$JOBS_DURATION" \
    --url "$URL" --key "$KEY" --server-pid "$SERVER_PID" "${PG_ARGS[@]}" ${PG_ARGS[0]:+--commits-before "$c0"} | tee "$OUT/$name-burndown.txt"
  [ "${PIPESTATUS[0]}" != 0 ] && code=1
  set -e
  c1="$(commits)"
  stop_server
  result1="$(tail -1 "$OUT/$name-enqueue.txt")"; case "$result1" in "{"*) ;; *) result1=null ;; esac
  result2="$(tail -1 "$OUT/$name-burndown.txt")"; case "$result2" in "{"*) ;; *) result2=null ;; esac
  log "commits during the burn-down and latency phase: $(( c1 - c0 )) ($ENGINE; 0 = not measured)"
  printf '{"engine":"%s","name":"%s","exit":%d,"concurrency":%d,"prefetch":%d,"commits_burndown_phase":%d,"idle_before":"%s","enqueue":%s,"burndown":%s}\n' \
    "$ENGINE" "$name" "$code" "$JOBS_CONCURRENCY" "$JOBS_PREFETCH" "$(( c1 - c0 ))" "$IDLE_NOTE" "$result1" "$result2" >>"$OUT/results.jsonl"
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

for run in $(seq 1 "$RUNS"); do
  for scenario in "${SCENARIOS[@]}"; do
    name="$scenario-$run"
    log "=== $ENGINE $name"
    wait_idle
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$scenario" = jobs ]; then
      run_jobs "$name"
      continue
    fi
    if [ "$scenario" = mux ]; then
      # One connection holds every subscription: lift the per-connection cap (default 100) to match.
      EXTRA_ENV="Spectral__LiveMaxSubscriptions=$MUX_SUBSCRIPTIONS" start_server "$name"
    elif [ "$scenario" = fanout-2node ] || { [ "$scenario" = cron ] && [ "$ENGINE" = postgres ] && [ "$CRON_NODES" = 2 ]; }; then
      SECOND_NODE=1 start_server "$name"
    else
      start_server "$name"
    fi
    pid="$SERVER_PID"
    case "$scenario" in
      ingest) args=(ingest --clients "$INGEST_CLIENTS" --tasks "$INGEST_TASKS" --duration "$INGEST_DURATION" --warmup "$INGEST_WARMUP") ;;
      fanout) args=(fanout --subscribers "$FANOUT_SUBSCRIBERS" --rate "$FANOUT_RATE" --duration "$FANOUT_DURATION") ;;
      fanout-2node) args=(fanout --subscribers "$FANOUT_SUBSCRIBERS" --rate "$FANOUT_RATE" --duration "$FANOUT_DURATION" --url2 "$URL2") ;;
      cron) args=(cron --jobs "$CRON_JOBS" --duration "$CRON_DURATION")
            [ "$CRON_ALIGNED" = 1 ] && args+=(--aligned)
            [ -n "$SERVER2_PID" ] && args+=(--url2 "$URL2") ;;
      counter) args=(ingest --counter --clients "$INGEST_CLIENTS" --duration "$INGEST_DURATION" --warmup "$INGEST_WARMUP") ;;
      mux) args=(mux --subscriptions "$MUX_SUBSCRIPTIONS" --rate "$MUX_RATE" --duration "$MUX_DURATION" --batch "$MUX_BATCH"
             --warmup-ticks "$(awk -v s="$MUX_WARMUP" -v r="$MUX_RATE" 'BEGIN { t = int(s * r + 0.5); print (t < 1 && s > 0) ? 1 : t }')")
           [ "$MUX_SUBSCRIBE" = 0 ] && args+=(--no-subscribe) ;;
    esac
    set +e
    [ -n "${DB_PID:-}" ] && args+=(--db-pid "$DB_PID")
    args+=("${PG_ARGS[@]}")
    cmd=(dotnet "$BENCH_DLL" "${args[@]}")
    if [ "$scenario" = fanout-node ]; then
      [ -d "$ROOT/bench/node-subscribers/node_modules" ] || (cd "$ROOT/bench/node-subscribers" && npm ci --no-audit --no-fund >&2)
      cmd=(node "$ROOT/bench/node-subscribers/fanout.mjs" --subscribers "$FANOUT_SUBSCRIBERS" --rate "$FANOUT_RATE" --duration "$FANOUT_DURATION")
    fi
    "${cmd[@]}" --url "$URL" --key "$KEY" --server-pid "$pid" | tee "$OUT/$name.txt"
    code=${PIPESTATUS[0]}
    set -e
    load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
    alive=true; kill -0 "$pid" 2>/dev/null || alive=false
    stop_server
    # Problems the server logged: failures, critical entries, unhandled exceptions.
    errors="$(cat "$OUT/$name.server.log" "$OUT/$name.node2.server.log" 2>/dev/null | grep -cE '^(fail|crit):' || true)"
    warns="$(cat "$OUT/$name.server.log" "$OUT/$name.node2.server.log" 2>/dev/null | grep -cE '^warn:' || true)"
    [ "$errors" != 0 ] && log "server logged $errors fail/crit entries in $name (see $OUT/$name.server.log)"
    result="$(tail -1 "$OUT/$name.txt")"
    case "$result" in "{"*) ;; *) result=null ;; esac
    log "load average before: $load_before, after: $load_after (2 cores; above ~2 means other work competed)"
    printf '{"engine":"%s","name":"%s","exit":%d,"server_alive_at_end":%s,"server_log_fail":%d,"server_log_warn":%d,"loadavg_before":"%s","loadavg_after":"%s","idle_before":"%s","log_level":"%s","server_env":"%s","result":%s}\n' \
      "$ENGINE" "$name" "$code" "$alive" "$errors" "$warns" "$load_before" "$load_after" "$IDLE_NOTE" "${SERVER_LOG_LEVEL:-default}" "${SERVER_ENV:-}" "$result" >>"$OUT/results.jsonl"
    # The server log is large at the default log level; keep only what matters.
    if [ "$(stat -c %s "$OUT/$name.server.log")" -gt 5000000 ]; then
      { head -40 "$OUT/$name.server.log"; echo "... (truncated by run.sh; fail/crit/warn entries follow)"; grep -A8 -E '^(fail|crit|warn):' "$OUT/$name.server.log" | head -400 || true; } >"$OUT/$name.server.log.tmp"
      mv "$OUT/$name.server.log.tmp" "$OUT/$name.server.log"
    fi
  done
done

if command -v jq >/dev/null; then
  echo
  echo "summary ($OUT/results.jsonl):"
  jq -r 'select(.enqueue != null) |
    "\(.name): jobs bulk \(.enqueue.bulk.rate_per_s)/s | single x1 \(.enqueue.single_1.rate_per_s)/s, x\(.enqueue.single_n.clients) \(.enqueue.single_n.rate_per_s)/s | burn-down \(.burndown.burndown.rate_per_s)/s (\(.burndown.burndown.seconds) s) | start latency at \(.burndown.latency.rate)/s p50 \(.burndown.latency.enqueue_to_start.p50_ms) p99 \(.burndown.latency.enqueue_to_start.p99_ms) ms | commits in burn-down phase \(.commits_burndown_phase)"' "$OUT/results.jsonl"
  # Per scenario: the measured windows' server CPU, RSS and (PostgreSQL) commits per operation.
  jq -r '. as $r | [paths(objects) as $p | select($p[-1] == "resources") | {at: ($p[:-1] | map(tostring) | join(".")), v: ($r | getpath($p))}] | .[] |
    "\($r.name) \(.at): server CPU \(.v.server_cpu_cores) cores, RSS peak \(.v.rss_peak_kib) KiB end \(.v.rss_end_kib) KiB, commits/op \(.v.commits_per_op) (\(.v.operations) ops)"' "$OUT/results.jsonl"
  jq -r 'select(.result != null) | . as $r | .result |
    if .scenario == "ingest" then
      "\($r.name): ingest \(.ingest.rate_per_s)/s p50 \(.ingest.latency.p50_ms) p99 \(.ingest.latency.p99_ms) err \(.ingest.error_count) | healthz \(.healthz.rate_per_s)/s p99 \(.healthz.latency.p99_ms) | ratio \(.ratio) | server fail logs \($r.server_log_fail) | other CPU \(.ingest.other_cpu_cores)/\(.healthz.other_cpu_cores) cores"
    elif .scenario == "mux" then
      "\($r.name): mux \(.subscribed)/\(.subscriptions) subs on one connection, \(.achieved_per_s)/\(.offered_per_s) changes/s | received \(.received)/\(.expected) missing \(.missing) seq_skipped \(.seq_skipped) dup \(.seq_duplicates) | commit->recv p50 \(.latency.p50_ms) p99 \(.latency.p99_ms) max \(.latency.max_ms) ms | batch POST p99 \(.post_latency.p99_ms) ms | RSS peak \(.rss_peak_kib) KiB | cores server \(.server_cpu_cores) loadgen \(.loadgen_cpu_cores) db \(.db_cpu_cores) other \(.other_cpu_cores) | ended early: \(.ended_early)"
    elif .scenario == "fanout-node" then
      "\($r.name): fanout with Node (undici) subscribers: \(.connected) subs, \(.sent_ok) sent, received \(.received)/\(.expected) missing \(.missing) seq_skipped \(.seq_skipped) dup \(.event_duplicates) | p50 \(.latency.p50_ms) p99 \(.latency.p99_ms) max \(.latency.max_ms) ms | \(.rss_per_connection_bytes) B/conn connected, \(.rss_per_connection_after_traffic_bytes) B/conn after traffic | server CPU \(.server_cpu_cores) cores"
    elif .scenario == "cron" then
      "\($r.name): cron \(.jobs) jobs on \(.nodes) node(s), \(.schedule): \(.firings_per_s) firings/s | lag p50 \(.lag.p50_ms) p99 \(.lag.p99_ms) max \(.lag.max_ms) ms | within 50 ms \(.within_50ms_pct) % | doubled \(.doubled) missed \(.missed) | server CPU \(.server_cpu_cores) cores"
    elif .scenario == "counter" then
      "\($r.name): hot counter \(.increment.rate_per_s) increments/s p50 \(.increment.latency.p50_ms) p99 \(.increment.latency.p99_ms) err \(.increment.error_count) | final value \(.final_value) | server fail logs \($r.server_log_fail)"
    else
      "\($r.name): fanout \(.connected) subs, \(.sent_ok) sent, received \(.received)/\(.expected) missing \(.missing) seq_skipped \(.seq_skipped) dup \(.seq_duplicates) | p50 \(.latency.p50_ms) p99 \(.latency.p99_ms) max \(.latency.max_ms) ms | \(.rss_per_connection_bytes) B/conn idle, \(.rss_per_connection_after_traffic_bytes) after traffic | gap repairs \(.server_gap_repairs) | server fail logs \($r.server_log_fail) | other CPU \(.other_cpu_cores) cores"
    end' "$OUT/results.jsonl"
fi
echo "results: $OUT"

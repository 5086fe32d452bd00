#!/usr/bin/env bash
# Counts the server's socket sends during one bench scenario (docs/benchmarks.md, fifth round).
#
#   bench/probes/send-count.sh <sqlite|postgres> <scenario> <marker> [seconds]
#
# Starts `bench/run.sh <engine> <scenario>` (RUNS=1; the caller's environment passes through, e.g.
# FANOUT_RATE=1000, SERVER_DLL=, SKIP_BUILD=1), waits until its log shows <marker> (the line the
# scenario prints just before its traffic: "server RSS" for fanout, "warmup:" for mux), then counts
# the server's sendmsg/sendto calls for [seconds] (default 5) with perf's syscall tracepoints.
set -euo pipefail
engine="$1"; scenario="$2"; marker="$3"; seconds="${4:-5}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${OUT:-$(mktemp -d /tmp/spectral-sends.XXXXXX)}"
log="$out.log"
RUNS=1 OUT="$out" "$root/bench/run.sh" "$engine" "$scenario" > "$log" 2>&1 &
runner=$!
for _ in $(seq 1 1200); do grep -q -- "$marker" "$log" 2>/dev/null && break; sleep 0.1; done
pid="$(grep -oE 'server pid [0-9]+' "$log" | awk '{print $3}' | tail -1)"
[ -n "$pid" ] || { echo "no server pid in $log" >&2; wait "$runner"; exit 1; }
sleep 2 # past the scenario's first second
perf stat -e 'syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendto' -p "$pid" -- sleep "$seconds" 2>&1 | grep syscalls
wait "$runner"
grep -E "^$scenario-1:" "$log" || true
echo "log: $log"

# bench/compare.sh's summary: jq -rs -f bench/compare-summary.jq results.jsonl
def r2: if . == null then "n/a" else (. * 1000 | round / 1000 | tostring) end;
def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b end;
def pct($xs; $p): ($xs | map(select(. != null)) | sort) as $s | if ($s | length) == 0 then null else $s[((($s | length) - 1) * $p) | floor] end;
. as $all
| ([.[] | select(.step == "floor" and .clients == 64) | .tps] | max) as $f64
| ([.[] | select(.step == "floor" and .clients == 16) | .tps] | max) as $f16
| ([.[] | select(.step == "floor" and .clients == 64) | .latency.p99_ms] | max) as $f64p99
| "pgbench floor (one-row INSERT per transaction): 64 clients \($f64 | r2) tps (p99 \($f64p99 | r2) ms), 16 clients \($f16 | r2) tps",
  ( ([.[] | select(.step != "ingest") | .pair] | unique | map(select(. > 0)) | .[]) as $p
  | ( ($all | map(select(.step == "jobs" and .pair == $p))) as $j
      | ($j | map(select(.side == "graphile")) | .[0]) as $g
      | ($j | map(select(.side == "ours")) | .[0]) as $o
      | if $g == null and $o == null then empty else
        "jobs pair \($p): burn-down ours \($o.burndown.burndown.rate_per_s | r2)/s vs graphile \($g.burndown_rate_per_s | r2)/s = \(ratio($o.burndown.burndown.rate_per_s; $g.burndown_rate_per_s) | r2)x (target >= 1.0)"
        + " | bulk enqueue ours \($o.enqueue.bulk.rate_per_s | r2)/s (batch \($o.enqueue.bulk.batch)) vs graphile addJobs \($g.bulk_rate_per_s | r2)/s (batch \($g.add_jobs_batch)) = \(ratio($o.enqueue.bulk.rate_per_s; $g.bulk_rate_per_s) | r2)x"
        + " | single enqueue x\($o.enqueue.single_n.clients) \($o.enqueue.single_n.rate_per_s | r2)/s vs pgbench 16 clients = \(ratio($o.enqueue.single_n.rate_per_s; $f16) | r2)x"
        + " | commits/job ours \($o.burndown.burndown.resources.commits_per_op | r2) graphile \($g.commits_per_job | r2)"
        end ),
    ( ($all | map(select(.step == "fanout" and .pair == $p))) as $fa
      | ($fa | map(select(.side == "socketio")) | .[0]) as $s
      | ($fa | map(select(.side == "ours" and .result.scenario == "fanout")) | .[0].result) as $o
      | ($fa | map(select(.side == "ours" and .result.scenario == "fanout-node")) | .[0].result) as $n
      | if $s == null and $o == null then empty else
        "fanout pair \($p): \($o.connected // $s.connected) subs x \($o.rate_per_s // $s.rate_per_s)/s: delivery p99 ours \($o.latency.p99_ms | r2) ms (missing \($o.missing)) vs Socket.IO \($s.latency.p99_ms | r2) ms (missing \($s.missing)) = \(ratio($o.latency.p99_ms; $s.latency.p99_ms) | r2)x (target <= 1.0, zero loss)"
        + " | bytes/subscriber ours .NET client \($o.rss_per_connection_bytes | r2) (after traffic \($o.rss_per_connection_after_traffic_bytes | r2)), Node undici client \($n.rss_per_connection_bytes | r2) (after traffic \($n.rss_per_connection_after_traffic_bytes | r2), p99 \($n.latency.p99_ms | r2) ms, missing \($n.missing)), Socket.IO \($s.rss_per_connection_bytes | r2) (after traffic \($s.rss_per_connection_after_traffic_bytes | r2))"
        end ) ),
  ( .[] | select(.step == "ingest") | .result.ingest as $i | .pair as $p
    | (([$all[] | select(.step == "floor-ingest" and .pair == $p and .clients == 64) | .tps] | first) // $f64) as $fi
    | "ingest \(.pair): \($i.rate_per_s | r2)/s vs pgbench 64 clients right before it \($fi | r2) tps = \(ratio($i.rate_per_s; $fi) | r2)x (target >= 1.0) | p99 \($i.latency.p99_ms | r2) ms (target <= 50) | commits/op \($i.resources.commits_per_op | r2) | server CPU \($i.resources.server_cpu_cores | r2) cores, RSS peak \($i.resources.rss_peak_kib) KiB" )

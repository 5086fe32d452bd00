// Our fan-out with Node WebSocket subscribers (undici's WebSocket, the implementation behind Node's
// and like a browser's): N connections to /ws/task/{id}, R events/s for D s through
// POST /api/v1/tasks/{id}/events, delivery latency (send -> receive), loss, and our server's RSS per
// connection after connecting and after traffic (median of 5 readings, as spectral-bench fanout).
// Usage: node fanout.mjs --url http://127.0.0.1:18095 --key K --server-pid P
//          [--subscribers 1000] [--rate 20] [--duration 10] [--drain 10] [--settle 2] [--connect-concurrency 32]
//          [--warmup-subscribers 50]
// Like spectral-bench fanout, it first warms the server's WebSocket path (subscribers that receive
// 50 events, then close) and lets it settle after connecting, so the RSS per connection counts the
// connections, not the first use of the code path (JIT, pools) or the connects' short-lived garbage.
// The last line of output is one JSON object.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { WebSocket, fetch, Agent } from "undici";
import {
  Tally, cpuSeconds, marker, openLoop, perConnection, pool, r3, rssKiB, rssMedianKiB, sleep, summarize,
} from "../lib/fanout-common.mjs";

const { values: a } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:18095" },
    key: { type: "string" },
    "server-pid": { type: "string" },
    subscribers: { type: "string", default: "1000" },
    rate: { type: "string", default: "20" },
    duration: { type: "string", default: "10" },
    drain: { type: "string", default: "10" },
    settle: { type: "string", default: "2" },
    "connect-concurrency": { type: "string", default: "32" },
    "warmup-subscribers": { type: "string", default: "50" },
  },
});
if (!a.key) throw new Error("--key is required");
const n = +a.subscribers, rate = +a.rate, duration = +a.duration, pid = a["server-pid"] ? +a["server-pid"] : null;
const planned = Math.round(rate * duration);
const base = new URL(a.url);
const headers = { "X-API-Key": a.key, "content-type": "application/json" };
const http = new Agent({ connections: 64 });
const post = (path, body) => fetch(new URL(path, base), { method: "POST", headers, body: JSON.stringify(body), dispatcher: http });
const run = randomBytes(4).toString("hex");
const taskId = `fan-node-${run}`;
console.log(`fanout-node: ${n} undici WebSocket subscribers, ${rate} events/s for ${duration} s (${planned} events), ${a.url}, task ${taskId}`);

const wsUrlOf = (id) => {
  const u = new URL(`/ws/task/${encodeURIComponent(id)}`, base);
  u.protocol = base.protocol === "https:" ? "wss:" : "ws:";
  return u;
};

if (+a["warmup-subscribers"] > 0) {
  const warmId = `fanwarm-node-${run}`;
  const made = await post("/api/v1/tasks", { id: warmId, title: `bench ${warmId}` });
  if (made.status !== 201) throw new Error(`creating the warm-up task: HTTP ${made.status} ${await made.text()}`);
  await made.arrayBuffer();
  let deliveries = 0;
  const warm = [];
  await pool([...Array(+a["warmup-subscribers"]).keys()], +a["connect-concurrency"], () => new Promise((resolve) => {
    const ws = new WebSocket(wsUrlOf(warmId), { headers: { "X-API-Key": a.key } });
    ws.onopen = () => { warm.push(ws); resolve(); };
    ws.onerror = () => resolve();
    ws.onmessage = () => { deliveries++; };
  }));
  await sleep(500);
  await openLoop(50, 100, async (i) => {
    const r = await post(`/api/v1/tasks/${encodeURIComponent(warmId)}/events`, { type: "log", message: `warmup ${i}` });
    await r.arrayBuffer();
  });
  await sleep(500);
  for (const ws of warm) ws.close();
  console.log(`  warmup: ${warm.length} subscribers, 50 events, ${deliveries} deliveries`);
}

const created = await post("/api/v1/tasks", { id: taskId, title: `bench ${taskId}` });
if (created.status !== 201) throw new Error(`creating the task: HTTP ${created.status} ${await created.text()}`);
await created.arrayBuffer();
await sleep(+a.settle * 1000);
const rssBefore = await rssMedianKiB(pid);

// The task's creation is seq 1, so the first live message is seq 2.
const tallies = Array.from({ length: n }, () => new Tally(planned, 2));
const sockets = new Array(n).fill(null);
let sample = null, connectErrors = 0;
const wsUrl = wsUrlOf(taskId);
const t0 = performance.now();
await pool([...Array(n).keys()], +a["connect-concurrency"], (i) => new Promise((resolve) => {
  const ws = new WebSocket(wsUrl, { headers: { "X-API-Key": a.key } });
  ws.onopen = () => { sockets[i] = ws; resolve(); };
  ws.onerror = () => { if (!sockets[i]) { connectErrors++; resolve(); } };
  ws.onmessage = (e) => {
    const text = typeof e.data === "string" ? e.data : Buffer.from(e.data).toString("utf8");
    let m;
    try { m = JSON.parse(text); } catch { tallies[i].other++; return; }
    if (m.type === "event" && typeof m.event?.message === "string") {
      if (sample == null) sample = text;
      tallies[i].onMarker(m.event.message, m.seq);
    } else if (m.seq > 0 && m.type !== "snapshot") tallies[i].onMarker(null, m.seq);
  };
}));
const connectSeconds = (performance.now() - t0) / 1000;
const connected = sockets.filter(Boolean).length;
await sleep(+a.settle * 1000);
const rssConnected = await rssMedianKiB(pid);
console.log(`  connected ${connected}/${n} in ${connectSeconds.toFixed(2)} s; server RSS ${rssBefore} -> ${rssConnected} KiB = ${perConnection(rssBefore, rssConnected, connected)} B/connection`);

const cpu0 = cpuSeconds(pid);
let rssPeak = rssKiB(pid) ?? 0;
const peakTimer = setInterval(() => { rssPeak = Math.max(rssPeak, rssKiB(pid) ?? 0); }, 250);
const sentOk = new Uint8Array(planned);
const errors = {};
const sendSeconds = await openLoop(planned, rate, async (i) => {
  try {
    const r = await post(`/api/v1/tasks/${encodeURIComponent(taskId)}/events`, { type: "log", message: marker(i) });
    await r.arrayBuffer();
    if (r.status === 201) sentOk[i] = 1; else errors[`HTTP ${r.status}`] = (errors[`HTTP ${r.status}`] ?? 0) + 1;
  } catch (e) { errors[e.message] = (errors[e.message] ?? 0) + 1; }
});
const okSends = sentOk.reduce((x, y) => x + y, 0);
const drain0 = performance.now();
while ((performance.now() - drain0) / 1000 < +a.drain && tallies.some((t, i) => sockets[i] && t.received < okSends)) await sleep(50);
const drainSeconds = (performance.now() - drain0) / 1000;
const cpu = cpuSeconds(pid) - cpu0;
clearInterval(peakTimer);
const rssAfter = await rssMedianKiB(pid);
rssPeak = Math.max(rssPeak, rssAfter ?? 0);
const s = summarize(tallies.filter((_, i) => sockets[i]), sentOk);
for (const ws of sockets) ws?.close();
console.log(`  sent ${okSends}/${planned} in ${sendSeconds.toFixed(2)} s; received ${s.received} missing ${s.missing} dup ${s.event_duplicates} seq skipped ${s.seq_skipped}; latency p50 ${s.latency.p50_ms} p99 ${s.latency.p99_ms} max ${s.latency.max_ms} ms; RSS after traffic ${rssAfter} KiB`);
console.log(JSON.stringify({
  scenario: "fanout-node", client: "undici WebSocket", undici: JSON.parse(readFileSync(new URL("./node_modules/undici/package.json", import.meta.url), "utf8")).version,
  node: process.version, subscribers: n, rate_per_s: rate, duration_s: duration, connected, connect_errors: connectErrors,
  connect_seconds: r3(connectSeconds), planned, sent_ok: okSends, send_errors: errors, send_seconds: r3(sendSeconds),
  expected: okSends * connected, ...s, drain_seconds: r3(drainSeconds),
  rss_before_kib: rssBefore, rss_connected_kib: rssConnected, rss_after_traffic_kib: rssAfter, rss_peak_kib: rssPeak || null,
  rss_per_connection_bytes: perConnection(rssBefore, rssConnected, connected),
  rss_per_connection_after_traffic_bytes: perConnection(rssBefore, rssAfter, connected),
  server_cpu_cores: cpu != null ? r3(cpu / (sendSeconds + drainSeconds)) : null,
  sample_message: sample, sample_message_bytes: sample ? Buffer.byteLength(sample) : null,
}));
process.exit(0);

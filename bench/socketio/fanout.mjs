// Socket.IO 4.8.4 fan-out reference for our fan-out scenario (docs/benchmarks.md "Peers in the same
// run"): a Socket.IO server in its own process (server.mjs, websocket transport only, no durability)
// broadcasts R messages/s for D s to N socket.io-client 4.8.4 subscribers in this process. Each message
// has the shape and size of our /ws/task/{id} event message and carries its send time (process.hrtime,
// CLOCK_MONOTONIC: the same clock in both processes). Reports delivery latency p50/p99/max, loss and
// duplicates, and the server's RSS per connection (VmRSS median before connecting, after connecting,
// after traffic), like spectral-bench fanout.
// Usage: node fanout.mjs [--subscribers 1000] [--rate 20] [--duration 10] [--drain 10] [--settle 2]
//          [--connect-concurrency 32] [--port 0]
// The last line of output is one JSON object.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { io as connect } from "socket.io-client";
import {
  Tally, cpuSeconds, perConnection, pool, r3, rssKiB, rssMedianKiB, sleep, summarize,
} from "../lib/fanout-common.mjs";

const { values: a } = parseArgs({
  options: {
    subscribers: { type: "string", default: "1000" },
    rate: { type: "string", default: "20" },
    duration: { type: "string", default: "10" },
    drain: { type: "string", default: "10" },
    settle: { type: "string", default: "2" },
    "connect-concurrency": { type: "string", default: "32" },
    port: { type: "string", default: "0" },
  },
});
const n = +a.subscribers, rate = +a.rate, duration = +a.duration;
const planned = Math.round(rate * duration);
const version = (p) => JSON.parse(readFileSync(new URL(`./node_modules/${p}/package.json`, import.meta.url), "utf8")).version;
// Our server's message for a "log" event on /ws/task/{id} (as captured by bench/node-subscribers,
// sample_message): the same fields, so the same JSON size; seq and event.message are set per send.
// Captured 2026-12-02 from a fan-out run (418 bytes with its marker).
const template = {
  type: "event", taskId: "fan-node-7ad97578",
  event: { eventType: "log", message: "", timestamp: "2026-12-02T07:29:04.704Z" },
  task: {
    id: 1, taskId: "fan-node-7ad97578", status: "in-progress", progress: 0,
    createdAt: "2026-12-02T07:28:57.460Z", updatedAt: "2026-12-02T07:29:04.704Z",
    completedAt: null, failedAt: null, canceledAt: null, metadata: "{}",
  },
  timestamp: "2026-12-02T07:29:04.704Z", seq: 2,
};

const server = fork(new URL("./server.mjs", import.meta.url).pathname, [a.port], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const fromServer = (key) => new Promise((resolve) => {
  const h = (m) => { if (m[key] !== undefined) { server.off("message", h); resolve(m); } };
  server.on("message", h);
});
const { listening: port } = await fromServer("listening");
const pid = server.pid;
console.log(`socketio-fanout: socket.io ${version("socket.io")} / socket.io-client ${version("socket.io-client")}, ${n} subscribers, ${rate} msg/s for ${duration} s (${planned}), server pid ${pid} port ${port}`);
await sleep(+a.settle * 1000);
const rssBefore = await rssMedianKiB(pid);

const tallies = Array.from({ length: n }, () => new Tally(planned, 2));
const sockets = new Array(n).fill(null);
let connectErrors = 0, sample = null;
const t0 = performance.now();
await pool([...Array(n).keys()], +a["connect-concurrency"], (i) => new Promise((resolve) => {
  const s = connect(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false, forceNew: true });
  s.once("connect", () => { sockets[i] = s; resolve(); });
  s.once("connect_error", () => { connectErrors++; resolve(); });
  s.on("message", (m) => {
    if (sample == null) sample = JSON.stringify(m);
    tallies[i].onMarker(m?.event?.message, m?.seq);
  });
}));
const connectSeconds = (performance.now() - t0) / 1000;
const connected = sockets.filter(Boolean).length;
await sleep(200); // the room joins happen on the server's connection handler
const rssConnected = await rssMedianKiB(pid);
console.log(`  connected ${connected}/${n} in ${connectSeconds.toFixed(2)} s; server RSS ${rssBefore} -> ${rssConnected} KiB = ${perConnection(rssBefore, rssConnected, connected)} B/connection`);

const cpu0 = cpuSeconds(pid);
let rssPeak = rssKiB(pid) ?? 0;
const peakTimer = setInterval(() => { rssPeak = Math.max(rssPeak, rssKiB(pid) ?? 0); }, 250);
server.send({ cmd: "send", rate, count: planned, template });
const { seconds: sendSeconds } = await fromServer("seconds");
const drain0 = performance.now();
while ((performance.now() - drain0) / 1000 < +a.drain && tallies.some((t, i) => sockets[i] && t.received < planned)) await sleep(50);
const drainSeconds = (performance.now() - drain0) / 1000;
const cpu = cpuSeconds(pid) - cpu0;
clearInterval(peakTimer);
const rssAfter = await rssMedianKiB(pid);
rssPeak = Math.max(rssPeak, rssAfter ?? 0);
const s = summarize(tallies.filter((_, i) => sockets[i]), new Uint8Array(planned).fill(1));
for (const x of sockets) x?.close();
server.send({ cmd: "stop" });
console.log(`  sent ${planned} in ${sendSeconds.toFixed(2)} s; received ${s.received} missing ${s.missing} dup ${s.event_duplicates}; latency p50 ${s.latency.p50_ms} p99 ${s.latency.p99_ms} max ${s.latency.max_ms} ms; RSS after traffic ${rssAfter} KiB`);
console.log(JSON.stringify({
  scenario: "socketio-fanout", socketio: version("socket.io"), socketio_client: version("socket.io-client"),
  transport: "websocket", node: process.version, subscribers: n, rate_per_s: rate, duration_s: duration,
  connected, connect_errors: connectErrors, connect_seconds: r3(connectSeconds), planned, sent_ok: planned,
  send_seconds: r3(sendSeconds), expected: planned * connected, ...s, drain_seconds: r3(drainSeconds),
  rss_before_kib: rssBefore, rss_connected_kib: rssConnected, rss_after_traffic_kib: rssAfter, rss_peak_kib: rssPeak || null,
  rss_per_connection_bytes: perConnection(rssBefore, rssConnected, connected),
  rss_per_connection_after_traffic_bytes: perConnection(rssBefore, rssAfter, connected),
  server_cpu_cores: cpu != null ? r3(cpu / (sendSeconds + drainSeconds)) : null,
  sample_payload: sample, sample_payload_bytes: sample ? Buffer.byteLength(sample) : null,
}));
process.exit(0);

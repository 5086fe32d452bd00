// Burn-down benchmark for graphile-worker 0.17.3, comparable with our P-JOBS burn-down scenario.
// Usage: DATABASE_URL=postgres://... node burndown.mjs --count 100000 --batch 5000 \
//          --concurrency 24 --local-queue 500 [--schema graphile_bench_x] [--pool N] [--keep]
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { Logger, consoleLogFactory, makeWorkerUtils, run } from "graphile-worker";
// No "exports" map, so the generated version module is importable; guards against a stale install.
import { version as VERSION } from "graphile-worker/dist/version.js";

if (VERSION !== "0.17.3") throw new Error(`expected graphile-worker 0.17.3, found ${VERSION}`);
const { values: a } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    batch: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "24" },
    "local-queue": { type: "string", default: "500" },
    // Docs: pool should be max(10, concurrentJobs + 2) so completions never wait for a client.
    pool: { type: "string" },
    schema: { type: "string", default: `graphile_bench_${randomBytes(4).toString("hex")}` },
    keep: { type: "boolean", default: false },
  },
});
const count = +a.count, batch = +a.batch, concurrency = +a.concurrency, localQueue = +a["local-queue"];
const maxPoolSize = a.pool ? +a.pool : Math.max(10, concurrency + 2);
const schema = a.schema;
const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error("DATABASE_URL is required");
// The schema name is interpolated into SQL below, so only allow plain identifiers.
if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name: ${schema}`);

// graphile-worker logs one info line per completed job; that alone would dominate the run.
const quiet = new Logger((scope) => {
  const log = consoleLogFactory(scope);
  return (level, msg) => (level === "error" || level === "warning") && log(level, msg);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

// Reads xact_commit from a short-lived connection. Backends flush their stats to shared memory
// lazily (at most once a second) or on exit, so callers close busy connections and wait first.
async function xactCommit() {
  const c = new pg.Client({ connectionString });
  await c.connect();
  const { rows } = await c.query(
    "select xact_commit::bigint as n from pg_stat_database where datname = current_database()");
  await c.end();
  return Number(rows[0].n);
}

const common = { connectionString, schema, logger: quiet };
const utils = await makeWorkerUtils(common);
await utils.migrate();
console.log(`schema ${schema} migrated; count=${count} batch=${batch} concurrency=${concurrency} local_queue=${localQueue} pool=${maxPoolSize}`);

// Phase 1: bulk enqueue, one addJobs call (one statement/transaction) per batch.
let t0 = process.hrtime.bigint();
for (let done = 0; done < count; done += batch) {
  const n = Math.min(batch, count - done);
  await utils.addJobs(Array.from({ length: n }, () => ({ identifier: "noop", payload: {} })));
}
const bulkSeconds = secs(t0);
const bulkRate = count / bulkSeconds;
console.log(`bulk enqueue: ${count} jobs in ${bulkSeconds.toFixed(3)} s = ${bulkRate.toFixed(0)} jobs/s`);
await utils.release();

await sleep(1100); // let the enqueue backends' stats land before the baseline
const commitsBefore = await xactCommit();

// Phase 2: burn-down. Settings go through the preset because localQueue only exists there.
const monitor = new pg.Client({ connectionString });
await monitor.connect();
let polls = 0;
const remaining = async () => {
  polls++;
  const { rows } = await monitor.query(`select count(*)::int as n from ${schema}._private_jobs`);
  return rows[0].n;
};
let completed = 0, wake = null;
t0 = process.hrtime.bigint();
const runner = await run({
  taskList: { noop: async () => {} },
  noHandleSignals: true,
  preset: {
    worker: {
      ...common,
      concurrentJobs: concurrency,
      maxPoolSize,
      pollInterval: 2000, // the library default, stated explicitly
      localQueue: { size: localQueue },
    },
  },
});
// job:complete fires before completeJob's UPDATE/DELETE commits, so it only tells us when to
// start polling quickly; the empty jobs table is the durable end condition.
runner.events.on("job:complete", () => { if (++completed >= count && wake) wake(); });
for (;;) {
  if ((await remaining()) === 0) break;
  if (completed < count) await new Promise((r) => { wake = r; setTimeout(r, 100); });
  else await sleep(5);
}
const burnSeconds = secs(t0);
const burnRate = count / burnSeconds;
console.log(`burn-down: ${count} jobs in ${burnSeconds.toFixed(3)} s = ${burnRate.toFixed(0)} jobs/s (job:complete events: ${completed})`);

await runner.stop();
await monitor.end();
await sleep(1100); // worker backends flush their stats on exit
// Subtract our own monitoring transactions: the count polls and the baseline read.
const commits = (await xactCommit()) - commitsBefore - polls - 1;
const commitsPerJob = commits / count;
console.log(`xact_commit delta: ${commits} (excluding ${polls} monitor polls) = ${commitsPerJob.toFixed(4)} commits/job`);

if (!a.keep) {
  const c = new pg.Client({ connectionString });
  await c.connect();
  await c.query(`drop schema ${schema} cascade`);
  await c.end();
  console.log(`dropped schema ${schema}`);
} else console.log(`kept schema ${schema}`);

const r3 = (x) => Math.round(x * 1000) / 1000;
console.log(JSON.stringify({
  scenario: "graphile-burndown", version: VERSION, count,
  bulk_rate_per_s: r3(bulkRate), burndown_seconds: r3(burnSeconds), burndown_rate_per_s: r3(burnRate),
  commits_per_job: r3(commitsPerJob), concurrency, local_queue: localQueue, max_pool_size: maxPoolSize,
}));

// Burn-down benchmark for graphile-worker 0.17.3, comparable with our P-JOBS burn-down scenario.
// Usage: DATABASE_URL=postgres://... node burndown.mjs [--count 100000] [--batch 0] [--processes N]
//          [--concurrency 24] [--local-queue 500] [--refetch-delay 10] [--complete-batch-delay 0]
//          [--fail-batch-delay 0] [--pool 26] [--poll-interval 2000] [--queue-name-batch-delay 50]
//          [--schema graphile_bench_x] [--keep]
//
// Defaults are graphile-worker's best documented settings (see README.md for where each is documented):
// https://worker.graphile.org/docs/performance ("Quick stats" / "With batching") and the repository's
// perfTest/graphile.config.js at v0.17.3: concurrentJobs 24, localQueue { size: 500,
// refetchDelay: { durationMs: 10 } }, completeJobBatchDelay 0, failJobBatchDelay 0; perfTest/run.js
// runs PARALLELISM = 4 worker processes, perfTest/init.js enqueues every job in ONE add_jobs call.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { Logger, consoleLogFactory, makeWorkerUtils, run } from "graphile-worker";
// No "exports" map, so the generated version module is importable; guards against a stale install.
import { version as VERSION } from "graphile-worker/dist/version.js";

if (VERSION !== "0.17.3") throw new Error(`expected graphile-worker 0.17.3, found ${VERSION}`);
const { values: a } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    // 0 = every job in one addJobs call, as perfTest/init.js does (the docs' "single add_jobs batch call").
    batch: { type: "string", default: "0" },
    // perfTest/run.js: PARALLELISM = 4 processes on a 24-core machine; here one per core, at most 4.
    processes: { type: "string", default: String(Math.min(4, availableParallelism())) },
    concurrency: { type: "string", default: "24" },
    "local-queue": { type: "string", default: "500" },
    "refetch-delay": { type: "string", default: "10" }, // localQueue.refetchDelay.durationMs (perfTest); -1 = unset
    "complete-batch-delay": { type: "string", default: "0" },
    "fail-batch-delay": { type: "string", default: "0" },
    // Config docs: "we recommend setting it to 10 or concurrentJobs + 2, whichever is larger"
    // (the performance page uses concurrentJobs + 1 = 25; one more client can only help).
    pool: { type: "string" },
    "poll-interval": { type: "string", default: "2000" }, // library default, stated explicitly
    "queue-name-batch-delay": { type: "string", default: "50" }, // library default; only named queues use it
    schema: { type: "string", default: `graphile_bench_${randomBytes(4).toString("hex")}` },
    keep: { type: "boolean", default: false },
    child: { type: "boolean", default: false }, // internal: one worker process of --processes
  },
});
const count = +a.count, processes = Math.max(1, +a.processes), concurrency = +a.concurrency;
const batch = +a.batch > 0 ? +a.batch : count;
const localQueue = +a["local-queue"], refetchDelay = +a["refetch-delay"];
const completeJobBatchDelay = +a["complete-batch-delay"], failJobBatchDelay = +a["fail-batch-delay"];
const maxPoolSize = a.pool ? +a.pool : Math.max(10, concurrency + 2);
const pollInterval = +a["poll-interval"], getQueueNameBatchDelay = +a["queue-name-batch-delay"];
const schema = a.schema;
const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error("DATABASE_URL is required");
// The schema name is interpolated into SQL below, so only allow plain identifiers.
if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name: ${schema}`);

// graphile-worker logs one info line per completed job; that alone would dominate the run
// (perfTest sets NO_LOG_SUCCESS=1 for the same reason).
const quiet = new Logger((scope) => {
  const log = consoleLogFactory(scope);
  return (level, msg) => (level === "error" || level === "warning") && log(level, msg);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const common = { connectionString, schema, logger: quiet };
const workerPreset = {
  ...common,
  concurrentJobs: concurrency,
  maxPoolSize,
  pollInterval,
  getQueueNameBatchDelay,
  completeJobBatchDelay,
  failJobBatchDelay,
  localQueue: localQueue > 0 && refetchDelay >= 0
    ? { size: localQueue, refetchDelay: { durationMs: refetchDelay } }
    : { size: localQueue },
};

if (a.child) {
  // One worker process: loaded and idle until the parent says "go", runs until it says "stop".
  process.on("message", async (m) => {
    if (m === "go") {
      const runner = await run({ taskList: { noop: async () => {} }, noHandleSignals: true, preset: { worker: workerPreset } });
      runner.events.on("job:complete", () => process.send("c"));
      process.on("message", async (m2) => {
        if (m2 !== "stop") return;
        await runner.stop();
        process.send("stopped");
        process.disconnect();
      });
    }
  });
  process.send("ready");
} else {
  await main();
}

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

async function main() {
  const utils = await makeWorkerUtils(common);
  await utils.migrate();
  const settings = {
    processes, concurrentJobs: concurrency, maxPoolSize, pollInterval, getQueueNameBatchDelay,
    completeJobBatchDelay, failJobBatchDelay, localQueue: workerPreset.localQueue, addJobsBatch: batch,
  };
  console.log(`schema ${schema} migrated; count=${count} settings=${JSON.stringify(settings)}`);

  // Phase 1: bulk enqueue, one addJobs call (one statement/transaction) per batch.
  let t0 = process.hrtime.bigint();
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await utils.addJobs(Array.from({ length: n }, () => ({ identifier: "noop", payload: {} })));
  }
  const bulkSeconds = secs(t0);
  const bulkRate = count / bulkSeconds;
  console.log(`bulk enqueue: ${count} jobs in ${bulkSeconds.toFixed(3)} s = ${bulkRate.toFixed(0)} jobs/s (${Math.ceil(count / batch)} addJobs calls)`);
  await utils.release();

  // Phase 2: burn-down by `processes` worker processes (perfTest's PARALLELISM), each with the
  // preset above. They are started and have loaded graphile-worker before the clock starts.
  const children = Array.from({ length: processes }, () =>
    fork(new URL(import.meta.url).pathname, [...process.argv.slice(2), "--child", `--schema=${schema}`], { stdio: "inherit" }));
  let completed = 0, wake = null;
  await Promise.all(children.map((c) => new Promise((resolve, reject) => {
    c.once("error", reject);
    c.once("exit", (code) => reject(new Error(`worker process exited early (${code})`)));
    c.on("message", (m) => {
      if (m === "ready") resolve();
      else if (m === "c" && ++completed >= count && wake) wake();
    });
  })));
  await sleep(1100); // let the enqueue backends' stats land before the baseline
  const commitsBefore = await xactCommit();

  const monitor = new pg.Client({ connectionString });
  await monitor.connect();
  let polls = 0;
  const remaining = async () => {
    polls++;
    const { rows } = await monitor.query(`select count(*)::int as n from ${schema}._private_jobs`);
    return rows[0].n;
  };
  t0 = process.hrtime.bigint();
  for (const c of children) c.send("go");
  // job:complete fires before completeJob's UPDATE/DELETE commits, so it only tells us when to
  // start polling quickly; the empty jobs table is the durable end condition.
  for (;;) {
    if ((await remaining()) === 0) break;
    if (completed < count) await new Promise((r) => { wake = r; setTimeout(r, 100); });
    else await sleep(5);
  }
  const burnSeconds = secs(t0);
  const burnRate = count / burnSeconds;
  console.log(`burn-down: ${count} jobs in ${burnSeconds.toFixed(3)} s = ${burnRate.toFixed(0)} jobs/s (job:complete events: ${completed}, ${processes} processes)`);

  await Promise.all(children.map((c) => new Promise((resolve) => {
    c.removeAllListeners("exit");
    c.once("exit", resolve);
    c.send("stop");
  })));
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
    bulk_rate_per_s: r3(bulkRate), bulk_seconds: r3(bulkSeconds), add_jobs_batch: batch,
    burndown_seconds: r3(burnSeconds), burndown_rate_per_s: r3(burnRate),
    commits_per_job: r3(commitsPerJob),
    processes, concurrency, local_queue: localQueue, max_pool_size: maxPoolSize,
    settings,
  }));
}

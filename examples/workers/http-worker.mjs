// A SpectralNotify HTTP worker on the JavaScript SDK's REST part (@spectralnotify/client).
//
//   (cd clients/js && npm ci && npm run build)      # once: this example imports the SDK built in the repo
//   SPECTRAL_URL=http://127.0.0.1:8094 SPECTRAL_KEY=<write key> node examples/workers/http-worker.mjs
//
// In your own project install the package and import '@spectralnotify/client' instead.
//
// It claims runs of the types it has handlers for (below), long-polling the queues; reports progress
// on each run's task (which streams live to every watcher), heartbeats to keep its lease and learn of
// cancels, then completes or fails the run. A connection error (or a 503 while the server starts) is
// retried with backoff, so the worker rides out a server restart; writes carry an Idempotency-Key, so a
// retried write that had already committed is answered from the first time instead of writing twice.
//
// The "demo" handler's payload knobs, for trying retries out:
//   {"failTimes": n}       fail the first n attempts (retryable, retry at once)
//   {"fatal": true}        fail without retry
//   {"sleepMs": n}         work this long, heartbeating, before finishing
// Env: WORKER_ID (default node-worker), QUEUES (comma list, default "default"), MAX_RUNS (stop after n),
// LEASE_SECONDS (default 30: how long a crashed worker's run waits before another worker may retry it).

import { createClient, SpectralError } from '../../clients/js/packages/client/dist/index.js';

const client = createClient({ url: process.env.SPECTRAL_URL ?? 'http://127.0.0.1:8094', apiKey: process.env.SPECTRAL_KEY ?? '' });
const workerId = process.env.WORKER_ID ?? 'node-worker';
const queues = (process.env.QUEUES ?? 'default').split(',');
const maxRuns = Number(process.env.MAX_RUNS ?? Infinity);
const leaseSeconds = Number(process.env.LEASE_SECONDS ?? 30);

/** A handler's way to fail the attempt: `retryable: false` ends the run, else it is retried (after `retryAfterSeconds`). */
class RunFailed extends Error {
  constructor(message, { retryable = true, retryAfterSeconds } = {}) {
    super(message);
    this.retryable = retryable;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
class LeaseLost extends Error {}
class CancelRequested extends Error {}

/** Handlers by run type: the claim asks only for these types, so runs of other types wait for a worker that has them. */
const handlers = {
  async demo(run, job) {
    const payload = run.payload ?? {};
    const steps = 4;
    for (let i = 1; i <= steps; i++) {
      await sleep((payload.sleepMs ?? 0) / steps);
      await job.heartbeat();
      await job.progress((100 * i) / steps - 1);
    }
    if (payload.fatal) throw new RunFailed('fatal payload', { retryable: false });
    if (run.attempt <= (payload.failTimes ?? 0)) throw new RunFailed(`attempt ${run.attempt} failed on purpose`, { retryAfterSeconds: 0 });
    return { worker: workerId, attempt: run.attempt };
  },
};

/** What a handler may do with its run: keep the lease (throws when lost or when a cancel was asked) and report progress. */
function jobFor(run) {
  let step = 0;
  return {
    async heartbeat() {
      try {
        const beat = await retrying(() => client.workers.heartbeat(run.id, run.leaseToken, leaseSeconds));
        if (beat.cancelRequested) throw new CancelRequested();
      } catch (error) {
        if (error instanceof SpectralError && error.status === 409) throw new LeaseLost();
        throw error;
      }
    },
    progress(progress, message) {
      const key = `${run.id}/${run.attempt}/progress/${++step}`;
      return retrying(() => client.tasks.progress(run.id, progress, message, { idempotencyKey: key }));
    },
  };
}

async function work(run) {
  const once = (what) => ({ idempotencyKey: `${run.id}/${run.attempt}/${what}` });
  const fail = (error, retry) => retrying(() => client.workers.fail(run.id, run.leaseToken, error, retry, once('fail')));
  await retrying(() => client.tasks.addEvent(run.id, { type: 'log', message: `${workerId} took attempt ${run.attempt}` }, once('took')));
  let result;
  try {
    result = await handlers[run.type](run, jobFor(run));
  } catch (error) {
    if (error instanceof LeaseLost) return 'lease lost';
    if (error instanceof CancelRequested) {
      await fail('stopped on request');
      return 'canceled';
    }
    if (error instanceof RunFailed) {
      await fail(error.message, { retryable: error.retryable, retryAfterSeconds: error.retryAfterSeconds });
      return error.retryable ? 'retry' : 'failed';
    }
    await fail(`handler threw: ${error?.message ?? error}`);
    return 'retry';
  }
  try {
    await retrying(() => client.workers.complete(run.id, run.leaseToken, result, once('complete')));
    return 'completed';
  } catch (error) {
    if (error instanceof SpectralError) return `refused ${error.status}`;
    throw error;
  }
}

/** Runs `call` until it gets an answer: a connection error or a 503 is retried with capped, jittered backoff. */
async function retrying(call) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const outage = error instanceof SpectralError ? error.status === 503 : error instanceof TypeError && error.message === 'fetch failed';
      if (!outage) throw error;
      const delay = Math.round(Math.min(10_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2));
      console.error(`server unreachable (${error.cause?.code ?? error.message}); retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let handled = 0;
while (handled < maxRuns) {
  let claimed;
  try {
    claimed = await retrying(() => client.workers.claim({ workerId, queues, types: Object.keys(handlers), max: 1, leaseSeconds, waitSeconds: 5 }));
  } catch (error) {
    console.error(`claim refused: ${error.message}`);
    process.exit(1);
  }
  for (const run of claimed.runs) {
    console.log(`${run.id} attempt ${run.attempt}: ${await work(run)}`);
    handled++;
  }
}

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

import { createClient, NetworkError, SpectralError } from '../../clients/js/packages/client/dist/index.js';

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

/**
 * Runs `call` until it gets an answer. Retried with capped, jittered backoff: no answer at all
 * (NetworkError: unreachable, or cut off mid-answer by a crash), and an answer that asks to be retried
 * (a 503 while the server starts, or any answer with Retry-After, such as the 409 for an
 * Idempotency-Key whose first request is still running). Every retried write carries the same
 * Idempotency-Key, so one that had committed before its answer was lost is answered from the first time.
 */
async function retrying(call) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const asked = error instanceof SpectralError && (error.status === 503 || error.retryAfterMs !== undefined);
      if (!(error instanceof NetworkError) && !asked) throw error;
      const backoff = Math.round(Math.min(10_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2));
      const delay = Math.max(backoff, asked ? (error.retryAfterMs ?? 0) : 0);
      console.error(`${asked ? `server asked to retry (${error.status})` : `server unreachable (${error.message})`}; retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let handled = 0;
// A claim whose answer is lost (the server crashed as it answered) still leased its runs: retried
// under the same key it hands out those runs again instead of leaving them leased to nobody until
// the lease runs out (which costs each of them an attempt).
const claimKeys = `${workerId}/${process.pid}/${Date.now()}`;
for (let claims = 0; handled < maxRuns; claims++) {
  let claimed;
  try {
    const request = { workerId, queues, types: Object.keys(handlers), max: 1, leaseSeconds, waitSeconds: 5 };
    claimed = await retrying(() => client.workers.claim(request, { idempotencyKey: `${claimKeys}/claim/${claims}` }));
  } catch (error) {
    console.error(`claim refused: ${error.message}`);
    process.exit(1);
  }
  for (const run of claimed.runs) {
    console.log(`${run.id} attempt ${run.attempt}: ${await work(run)}`);
    handled++;
  }
}

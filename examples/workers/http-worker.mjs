// A SpectralNotify HTTP worker in plain Node (18+, no packages): the protocol any language can speak.
//
//   SPECTRAL_URL=http://127.0.0.1:8094 SPECTRAL_KEY=<write key> node examples/workers/http-worker.mjs
//
// It claims runs of the "default" queue (long-polling), reports progress on each run's task (which
// streams live to /ws/task/<runId>), heartbeats to keep its lease and learn of cancels, then
// completes or fails the run. Payload knobs, for trying retries out:
//   {"failTimes": n}       fail the first n attempts (retryable, retry at once)
//   {"fatal": true}        fail without retry
//   {"sleepMs": n}         work this long, heartbeating, before finishing
// Env: WORKER_ID (default node-worker), QUEUES (comma list, default "default"), MAX_RUNS (stop after n),
// LEASE_SECONDS (default 30: how long a crashed worker's run waits before another worker may retry it).

const base = process.env.SPECTRAL_URL ?? 'http://127.0.0.1:8094';
const key = process.env.SPECTRAL_KEY ?? '';
const workerId = process.env.WORKER_ID ?? 'node-worker';
const queues = (process.env.QUEUES ?? 'default').split(',');
const maxRuns = Number(process.env.MAX_RUNS ?? Infinity);
const leaseSeconds = Number(process.env.LEASE_SECONDS ?? 30);

async function post(path, body) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function work(run) {
  const lease = { leaseToken: run.leaseToken };
  const payload = run.payload ?? {};
  await post(`/api/v1/tasks/${encodeURIComponent(run.id)}/events`, { type: 'log', message: `${workerId} took attempt ${run.attempt}` });
  const steps = 4;
  for (let i = 1; i <= steps; i++) {
    await sleep((payload.sleepMs ?? 0) / steps);
    const beat = await post(`/api/v1/runs/${run.id}/heartbeat`, { ...lease, leaseSeconds });
    if (beat.status === 409) return 'lease lost';
    if (beat.body.cancelRequested) {
      await post(`/api/v1/runs/${run.id}/fail`, { ...lease, error: 'stopped on request' });
      return 'canceled';
    }
    await post(`/api/v1/tasks/${encodeURIComponent(run.id)}/progress`, { progress: (100 * i) / steps - 1 });
  }
  if (payload.fatal) {
    await post(`/api/v1/runs/${run.id}/fail`, { ...lease, error: 'fatal payload', retryable: false });
    return 'failed';
  }
  if (run.attempt <= (payload.failTimes ?? 0)) {
    await post(`/api/v1/runs/${run.id}/fail`, { ...lease, error: `attempt ${run.attempt} failed on purpose`, retryAfterSeconds: 0 });
    return 'retry';
  }
  const done = await post(`/api/v1/runs/${run.id}/complete`, { ...lease, result: { worker: workerId, attempt: run.attempt } });
  return done.status === 200 ? 'completed' : `refused ${done.status}`;
}

let handled = 0;
while (handled < maxRuns) {
  const claim = await post('/api/v1/workers/claim', { workerId, queues, max: 1, leaseSeconds, waitSeconds: 5 });
  if (claim.status !== 200) {
    console.error(`claim answered ${claim.status}: ${JSON.stringify(claim.body)}`);
    process.exit(1);
  }
  for (const run of claim.body.runs) {
    console.log(`${run.id} attempt ${run.attempt}: ${await work(run)}`);
    handled++;
  }
}

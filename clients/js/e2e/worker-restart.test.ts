import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engines } from './support/engines.js';
import { useServer } from './support/harness.js';
import { eventually, within } from './support/wait.js';

const workerScript = fileURLToPath(new URL('../../../examples/workers/http-worker.mjs', import.meta.url));

describe.each(engines)('the example HTTP worker across a server crash ($name)', (engine) => {
  const env = useServer(engine);

  it.skipIf(engine.skip)('retries through a SIGKILL and restart, and every run completes on its first attempt', async () => {
    const ids = ['w1', 'w2', 'w3'];
    await env.admin.runs.enqueue(ids.map((id) => ({ id, type: 'demo', payload: { sleepMs: 1_200 } })));
    const worker = spawn(process.execPath, [workerScript], {
      env: { ...process.env, SPECTRAL_URL: env.server.url, SPECTRAL_KEY: env.server.apiKey, MAX_RUNS: String(ids.length) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    worker.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    try {
      await eventually(async () => (await env.admin.tasks.get('w1')).progress > 0, 'the worker working on w1');
      await env.server.kill();
      await env.server.start();
      const code = await within(exited, 60_000, 'the worker to handle its 3 runs and exit').catch((error: Error) => {
        throw new Error(`${error.message}; worker output:\n${stdout}\n${stderr}`);
      });
      expect(code, `worker output:\n${stdout}\n${stderr}`).toBe(0);
    } finally {
      worker.kill('SIGKILL');
    }
    expect(stderr).toMatch(/retrying in \d+ ms/);
    for (const id of ids) {
      const run = await env.admin.runs.get(id);
      expect(run, `${id}; worker output:\n${stdout}\n${stderr}`).toMatchObject({ state: 'done', status: 'success', attempt: 1, result: { worker: 'node-worker', attempt: 1 } });
      expect(stdout).toContain(`${id} attempt 1: completed`);
    }
  });
});

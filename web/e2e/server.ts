import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const spectralDll = fileURLToPath(new URL('../../src/SpectralNotify.Cli/bin/Release/net10.0/spectral.dll', import.meta.url));

export const adminKey = 'dashboard-e2e-admin-key-000000001';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The real `spectral` server (the build under test) on SQLite in a temporary folder; restartable on its port. */
export class SpectralServer {
  private process: ChildProcess | undefined;
  private output = '';
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  /** What the server printed so far (stdout and stderr), for a failure's report. */
  get log(): string {
    return this.output;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SpectralServer> {
    const server = new SpectralServer(await freePort(), mkdtempSync(join(tmpdir(), 'spectral-ui-')));
    await server.launch();
    return server;
  }

  async launch(): Promise<void> {
    this.process = spawn('dotnet', [spectralDll, 'serve', '--urls', this.url], {
      env: {
        ...process.env,
        SPECTRAL_DATABASE: `sqlite:${join(this.dataDir, 'spectral.db')}`,
        SPECTRAL_API_KEY: adminKey,
        Logging__LogLevel__Default: 'Warning',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout?.on('data', (d) => (this.output += String(d)));
    this.process.stderr?.on('data', (d) => (this.output += String(d)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.process.exitCode !== null) throw new Error(`spectral exited with ${this.process.exitCode}:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`spectral did not become ready:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL, as a crash would. */
  async kill(): Promise<void> {
    const p = this.process;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  /** A REST call with the admin key (or another key). */
  async api<T = unknown>(method: string, path: string, body?: unknown, key = adminKey): Promise<T> {
    const response = await fetch(this.url + path, {
      method,
      headers: { 'X-API-Key': key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}

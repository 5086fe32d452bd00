import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The server scripts/test.sh builds; SPECTRAL_DLL points elsewhere. */
export const spectralDll =
  process.env.SPECTRAL_DLL ?? fileURLToPath(new URL('../../../../src/SpectralNotify.Cli/bin/Release/net10.0/spectral.dll', import.meta.url));

export interface ServerOptions {
  /** SPECTRAL_DATABASE. */
  database: string;
  nodeId?: string;
}

/**
 * The real `spectral serve` in its own OS process (`dotnet spectral.dll`), on a loopback port
 * that stays the same across `kill()` + `start()`, so clients reconnect to the same URL.
 */
export class SpectralServer {
  /** The admin key (SPECTRAL_API_KEY). */
  readonly apiKey = `e2e-admin-${randomBytes(16).toString('hex')}`;
  readonly url: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** The last 20 KB of the server's stdout and stderr, for failure messages. */
  private log = '';

  private constructor(
    private readonly options: ServerOptions,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(options: ServerOptions): Promise<SpectralServer> {
    if (!existsSync(spectralDll)) {
      throw new Error(`${spectralDll} is missing: build the server first (dotnet build SpectralNotify.slnx -c Release), or set SPECTRAL_DLL`);
    }
    const server = new SpectralServer(options, await freePort());
    await server.start();
    return server;
  }

  /** Starts the process (again, after `kill`) and waits until /readyz answers 200. */
  async start(): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['SPECTRAL_API_KEY', 'SPECTRAL_NOTIFY_API_KEY', 'SPECTRAL_DATABASE']) delete env[name];
    Object.assign(env, {
      SPECTRAL_DATABASE: this.options.database,
      SPECTRAL_API_KEY: this.apiKey,
      Spectral__NodeId: this.options.nodeId ?? 'e2e',
      Logging__LogLevel__Default: 'Warning',
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    });
    const child = spawn('dotnet', [spectralDll, 'serve', '--urls', this.url], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const append = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`spectral exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${this.log}`);
      }
      try {
        const ready = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (ready.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`spectral did not become ready within 60 s:\n${this.log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGKILL, as a crash or the OOM killer would: no shutdown, no close frames. Resolves once the process is gone. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (a graceful stop), SIGKILL if it is still running after 15 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

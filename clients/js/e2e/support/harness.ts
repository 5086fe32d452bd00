import { afterAll, beforeAll } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, type ClientOptions, type SpectralClient } from '@spectralnotify/client';
import type { Database, Engine } from './engines.js';
import { SpectralServer } from './server.js';

/** Reconnects within a second at most (the default backoff goes up to 20 s), jitter kept. */
export const quickRetry = { minDelayMs: 50, maxDelayMs: 1_000 };

export interface Harness {
  server: SpectralServer;
  /** A client with the admin key, for setup and for the REST truth. */
  admin: SpectralClient;
  /** A new client (admin key unless credentials are given), closed after the suite. */
  client(options?: Partial<ClientOptions>): SpectralClient;
}

/**
 * One real server per suite on a fresh database of `engine`, stopped and dropped afterwards. Read
 * the fields inside tests (they are set in beforeAll).
 */
export function useServer(engine: Engine): Harness {
  let database: Database | undefined;
  const clients: SpectralClient[] = [];
  const harness = {
    client(options: Partial<ClientOptions> = {}) {
      const credentials = options.getToken ? {} : { apiKey: harness.server.apiKey };
      const client = createClient({ url: harness.server.url, WebSocket, retry: quickRetry, ...credentials, ...options } as ClientOptions);
      clients.push(client);
      return client;
    },
  } as Harness;
  beforeAll(async () => {
    database = await engine.createDatabase();
    harness.server = await SpectralServer.start({ database: database.setting });
    harness.admin = harness.client();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await harness.server?.stop();
    await database?.drop();
  });
  return harness;
}

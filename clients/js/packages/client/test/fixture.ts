import { afterEach, beforeEach } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, type SpectralClient } from '../src/index.js';
import { MockLiveServer } from './mock-server.js';

export const testKey = 'test-admin-key-000000000001';
/** Millisecond backoff with a fixed random: reconnects happen at once, and predictably. */
export const fastRetry = { minDelayMs: 5, maxDelayMs: 20, random: () => 0.5 };

/**
 * A mock live server and a client (API key, `ws`) per test, stopped afterwards. Read them through
 * the returned object: they are replaced before each test.
 */
export function liveFixture(afterEachExtra: () => void = () => {}): { server: MockLiveServer; client: SpectralClient } {
  const current = {} as { server: MockLiveServer; client: SpectralClient };
  beforeEach(async () => {
    current.server = await MockLiveServer.start();
    current.client = createClient({ url: current.server.url, apiKey: testKey, WebSocket, retry: fastRetry });
  });
  afterEach(async () => {
    afterEachExtra();
    current.client.close();
    await current.server.stop();
  });
  return current;
}

import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, type ConnectionStateEvent, type LiveError, type SpectralClient } from '../src/index.js';
import { MockLiveServer, until, type MockOptions } from './mock-server.js';

const key = 'test-admin-key-000000000001';
const fast = { minDelayMs: 5, maxDelayMs: 20, random: () => 0.5 };

let server: MockLiveServer;
let client: SpectralClient | undefined;

async function start(options: MockOptions = {}): Promise<MockLiveServer> {
  server = await MockLiveServer.start(options);
  return server;
}

afterEach(async () => {
  client?.close();
  client = undefined;
  await server.stop();
});

/** Lets a few backoff periods pass, to show nothing else happens. */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('tokens', () => {
  it('calls getToken before every connect, answers token-expiring, and reconnects on 4401 with a fresh token', async () => {
    let issued = 0;
    await start({ acceptToken: (t) => t.startsWith('tok-') });
    client = createClient({ url: server.url, getToken: async () => `tok-${++issued}`, WebSocket, retry: fast });
    const sub = client.tasks.watch('t1');
    await until(() => sub.state === 'subscribed', 'subscribed');
    expect(server.upgrades[0]!.url.searchParams.get('access_token')).toBe('tok-1');
    expect(server.upgrades[0]!.headers['x-api-key']).toBeUndefined();

    server.open[0]!.send({ type: 'token-expiring', expiresAt: new Date().toISOString() });
    await until(() => server.connections[0]!.token === 'tok-2', 'auth with the fresh token');
    expect(server.connections[0]!.received.at(-1)).toEqual({ type: 'auth', token: 'tok-2' });

    server.closeAll(4401, 'token expired; resume with ?after=1');
    await until(() => server.open.length === 1 && sub.state === 'subscribed', 'reconnected');
    expect(server.upgrades.at(-1)!.url.searchParams.get('access_token')).toBe('tok-3');
    expect(issued).toBe(3);
  });

  it('retries a refused token (401) with a new one instead of giving up', async () => {
    let issued = 0;
    await start({ acceptToken: (t) => t === 'tok-3' });
    client = createClient({ url: server.url, getToken: () => `tok-${++issued}`, WebSocket, retry: fast });
    const sub = client.tasks.watch('t1');
    await until(() => sub.state === 'subscribed', 'subscribed with the third token');
    expect(server.upgrades.map((u) => u.url.searchParams.get('access_token'))).toEqual(['tok-1', 'tok-2', 'tok-3']);
  });
});

describe('refusals that retrying cannot fix', () => {
  for (const status of [400, 403, 404]) {
    it(`does not retry an upgrade answered ${status}`, async () => {
      await start({ refuseWith: status });
      client = createClient({ url: server.url, apiKey: key, WebSocket, retry: fast });
      const errors: LiveError[] = [];
      client.connection.on('error', (e) => errors.push(e));
      const sub = client.tasks.watch('t1');
      await until(() => sub.state === 'failed', 'failed');
      await settle();
      expect(server.upgrades).toHaveLength(1);
      expect(sub.error).toMatchObject({ code: `http-${status}`, final: true });
      expect(errors.map((e) => e.code)).toEqual([`http-${status}`]);
      expect(client.connection.state).toBe('closed');
    });
  }

  it('stops on 401 with an API key (a wrong key stays wrong)', async () => {
    await start({ acceptToken: () => false });
    client = createClient({ url: server.url, apiKey: 'bad-key-0000000000000000000', WebSocket, retry: fast });
    const sub = client.tasks.watch('t1');
    await until(() => sub.state === 'failed', 'failed');
    expect(sub.error?.code).toBe('unauthorized');
    await settle();
    expect(server.upgrades).toHaveLength(1);
  });

  it('stops every subscription on a 4403 close', async () => {
    await start();
    client = createClient({ url: server.url, apiKey: key, WebSocket, retry: fast });
    const a = client.tasks.watch('a');
    const b = client.counters.watch('b');
    await until(() => a.state === 'subscribed' && b.state === 'subscribed', 'subscribed');
    server.closeAll(4403, 'key revoked');
    await until(() => a.state === 'failed' && b.state === 'failed', 'both failed');
    await settle();
    expect(server.upgrades).toHaveLength(1);
    expect(a.error?.code).toBe('forbidden');
  });

  it('retries a 503 (connection cap) with backoff', async () => {
    await start({ refuseWith: 503 });
    client = createClient({ url: server.url, apiKey: key, WebSocket, retry: fast });
    const sub = client.tasks.watch('t1');
    await until(() => server.upgrades.length >= 3, 'three attempts');
    server.options.refuseWith = undefined;
    await until(() => sub.state === 'subscribed', 'subscribed once the cap lifts');
  });
});

describe('reconnect', () => {
  it('reports each state with the next retry delay, from the backoff', async () => {
    await start();
    client = createClient({ url: server.url, apiKey: key, WebSocket, retry: fast });
    const states: ConnectionStateEvent[] = [];
    client.connection.on('state', (s) => states.push(s));
    const sub = client.tasks.watch('t1');
    await until(() => sub.state === 'subscribed', 'subscribed');
    server.dropAll();
    await until(() => server.open.length === 1 && sub.state === 'subscribed', 'back');
    // random 0.5 → first delay 5 + floor(0.5 · 5) = 7 ms.
    expect(states.map((s) => s.state)).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'open']);
    expect(states[2]).toMatchObject({ state: 'reconnecting', nextRetryDelayMs: 7, attempt: 1 });
  });

  it('detects a silent link by the heartbeat and reconnects', async () => {
    await start({ heartbeatSeconds: 0.05 });
    client = createClient({ url: server.url, apiKey: key, WebSocket, retry: fast });
    server.create('counter:c', { name: 'c', value: 0 });
    const sub = client.counters.watch('c');
    await until(() => sub.state === 'subscribed', 'subscribed');
    server.freeze(); // no heartbeat, no close: a dead NAT mapping
    await until(() => server.connections.length === 2 && sub.state === 'subscribed', 'a second connection after the stall');
    const resume = server.connections[1]!.received.find((m) => m.type === 'subscribe')!;
    expect(resume).toMatchObject({ topic: 'counter:c', after: 1 });
  });

  it('reports a handshake that keeps failing before welcome, and keeps trying', async () => {
    await start({ silent: true });
    client = createClient({ url: server.url, apiKey: key, WebSocket, retry: fast, connectTimeoutMs: 30, handshakeFailuresBeforeError: 2 });
    const errors: LiveError[] = [];
    client.connection.on('error', (e) => errors.push(e));
    const sub = client.tasks.watch('t1');
    await until(() => errors.length === 1, 'handshake-failed');
    expect(errors[0]).toMatchObject({ code: 'handshake-failed', final: false });
    expect(sub.error?.code).toBe('handshake-failed');
    server.options.silent = false;
    await until(() => sub.state === 'subscribed', 'subscribed once the server answers');
    expect(sub.error).toBeUndefined();
  });

  it('skips the backoff wait when the network comes back (online)', async () => {
    const target = new EventTarget();
    const g = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
    g.addEventListener = target.addEventListener.bind(target);
    g.removeEventListener = target.removeEventListener.bind(target);
    try {
      await start();
      const slow = { minDelayMs: 60_000, maxDelayMs: 60_000, random: () => 0 };
      client = createClient({ url: server.url, apiKey: key, WebSocket, retry: slow });
      const sub = client.tasks.watch('t1');
      await until(() => sub.state === 'subscribed', 'subscribed');
      server.dropAll();
      await until(() => client!.connection.state === 'reconnecting', 'waiting a minute');
      expect(client.connection.nextRetryDelayMs).toBe(60_000);
      target.dispatchEvent(new Event('online'));
      await until(() => sub.state === 'subscribed' && server.open.length === 1, 'reconnected at once');
    } finally {
      delete g.addEventListener;
      delete g.removeEventListener;
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, NetworkError, SpectralError } from '../src/index.js';
import routes from '../src/routes.json';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records requests and answers from a queue. */
function fakeFetch(...answers: Response[]) {
  const sent: Sent[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    sent.push({
      url,
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    return answers.shift() ?? new Response(null, { status: 204 });
  };
  return { fetch, sent };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('REST', () => {
  it('with cookie: true sends no credentials of its own (the browser sends the session cookie) and needs exactly one mode', async () => {
    const { fetch, sent } = fakeFetch(json({ id: 't' }));
    const client = createClient({ url: 'https://notify.example.com', cookie: true, fetch });
    await client.tasks.get('t');
    expect(sent[0]?.headers['X-API-Key']).toBeUndefined();
    expect(sent[0]?.headers.Authorization).toBeUndefined();
    expect(() => createClient({ url: 'https://notify.example.com', cookie: true, apiKey: 'k'.repeat(24) } as never)).toThrow(/one of/);
    expect(() => createClient({ url: 'https://notify.example.com' } as never)).toThrow(/one of/);
  });

  it('builds the route from routes.json with encoded parameters, key, body and headers', async () => {
    const { fetch, sent } = fakeFetch(json({ id: 'a b', progress: 40 }), json({ id: 'j', version: 4 }));
    const client = createClient({ url: 'https://notify.example.com/base/', apiKey: 'k'.repeat(24), fetch });
    const task = await client.tasks.progress('a b', 40, 'copying', { idempotencyKey: 'op-1' });
    expect(task.progress).toBe(40);
    expect(sent[0]).toMatchObject({
      url: 'https://notify.example.com/base/api/v1/tasks/a%20b/progress',
      method: 'POST',
      body: { progress: 40, message: 'copying' },
      headers: { 'X-API-Key': 'k'.repeat(24), 'Idempotency-Key': 'op-1', 'Content-Type': 'application/json' },
    });
    await client.jobs.update('j', { priority: 90 }, { ifMatch: 3 });
    expect(sent[1]).toMatchObject({ method: 'PATCH', url: 'https://notify.example.com/base/api/v1/jobs/j', headers: { 'If-Match': '"3"' } });
  });

  it('puts list filters in the query and returns undefined for 204', async () => {
    const { fetch, sent } = fakeFetch(json({ data: [], next: null }));
    const client = createClient({ url: 'http://h', apiKey: 'k'.repeat(24), fetch });
    await client.tasks.query({ status: 'failed', q: 'x&y', limit: 10 });
    expect(sent[0]!.url).toBe('http://h/api/v1/tasks?status=failed&q=x%26y&limit=10');
    await client.tasks.query({ status: ['failed', 'canceled'], search: 'Rep', metadata: { team: 'a' } });
    expect(sent[1]!.url).toBe('http://h/api/v1/tasks?status=failed%2Ccanceled&search=Rep&metadata=%7B%22team%22%3A%22a%22%7D');
    await client.stats.get({ window: 30 });
    expect(sent[2]!.url).toBe('http://h/api/v1/stats?window=30');
    expect(await client.tasks.delete('t')).toBeUndefined();
    expect(sent[3]).toMatchObject({ method: 'DELETE', url: 'http://h/api/v1/tasks/t' });
  });

  it('throws SpectralError carrying the status and the problem details', async () => {
    const problem = { title: 'The request is not valid', status: 400, detail: 'progress: must be a number from 0 to 100', errors: { progress: ['must be a number from 0 to 100'] } };
    const { fetch } = fakeFetch(new Response(JSON.stringify(problem), { status: 400, headers: { 'Content-Type': 'application/problem+json' } }), new Response('<html>bad gateway</html>', { status: 502 }));
    const client = createClient({ url: 'http://h', apiKey: 'k'.repeat(24), fetch });
    const error = await client.tasks.progress('t', 101).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpectralError);
    expect(error).toMatchObject({ status: 400, route: 'tasks.progress', message: problem.detail, problem });
    const proxy = await client.tasks.get('t').catch((e: unknown) => e);
    expect(proxy).toMatchObject({ status: 502, problem: { status: 502, detail: '<html>bad gateway</html>' }, retryAfterMs: undefined });
  });

  it('reads Retry-After as seconds or as an HTTP date', async () => {
    const busy = { title: 'Request in progress', status: 409 };
    const { fetch } = fakeFetch(
      new Response(JSON.stringify(busy), { status: 409, headers: { 'Retry-After': '1' } }),
      new Response(null, { status: 503, headers: { 'Retry-After': new Date(Date.now() + 60_000).toUTCString() } }),
    );
    const client = createClient({ url: 'http://h', apiKey: 'k'.repeat(24), fetch });
    expect(await client.tasks.progress('t', 5, undefined, { idempotencyKey: 'k' }).catch((e: unknown) => e)).toMatchObject({ status: 409, retryAfterMs: 1_000 });
    const unavailable = (await client.tasks.get('t').catch((e: unknown) => e)) as SpectralError;
    expect(unavailable.retryAfterMs).toBeGreaterThan(55_000);
    expect(unavailable.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('throws NetworkError for a refused connection and for a body cut off mid-answer, on real sockets', async () => {
    // The answer's headers and half its body go out, then the socket is destroyed: what a client sees
    // when the server is killed while answering. Without the wrapping this is a bare TypeError.
    const server = await listen(createServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"id":"t","prog', () => res.socket?.destroy());
    }));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cut = await createClient({ url, apiKey: 'k'.repeat(24) }).tasks.progress('t', 5).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(NetworkError);
    expect(cut).toMatchObject({ route: 'tasks.progress' });
    await new Promise((resolve) => server.close(resolve));
    const refused = await createClient({ url, apiKey: 'k'.repeat(24) }).tasks.get('t').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NetworkError);
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);
  });

  it("leaves the caller's own abort an AbortError", async () => {
    const never = (_url: string, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const client = createClient({ url: 'http://h', apiKey: 'k'.repeat(24), fetch: never });
    const controller = new AbortController();
    const pending = client.tasks.get('t', { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });
  });

  it('sends a token as Bearer, and refreshes it once on 401', async () => {
    let issued = 0;
    const { fetch, sent } = fakeFetch(json({ id: 't' }), new Response(null, { status: 401 }), json({ id: 't' }));
    const client = createClient({ url: 'http://h', getToken: () => `tok-${++issued}`, fetch });
    await client.tasks.get('t');
    await client.tasks.get('t');
    expect(sent.map((s) => s.headers.Authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('refuses options with both or neither credential', () => {
    expect(() => createClient({ url: 'http://h' } as never)).toThrow(/one of apiKey, getToken or cookie/);
    expect(() => createClient({ url: 'http://h', apiKey: 'k', getToken: () => 't' } as never)).toThrow(/one of apiKey, getToken or cookie/);
  });

  it('calls every route of routes.json somewhere in the code, and only those', () => {
    const src = fileURLToPath(new URL('../src', import.meta.url));
    const files = readdirSync(src, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    const code = files.map((f) => readFileSync(join(src, f), 'utf8')).join('\n');
    const used = new Set([...code.matchAll(/(?:call|url)\('([a-z]+\.[a-zA-Z]+)'/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(routes.rest).sort());
  });
});

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

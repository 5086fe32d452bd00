// An in-process server for GET /api/v1/live that speaks protocol v2 (docs/realtime.md) over a real
// socket (`ws`): welcome, subscribe with after/epoch/snapshot, replay from history, epochs,
// lists with cursors and must-refetch, heartbeats, token-expiring / auth. Tests drive it
// (append changes, drop links, refuse upgrades) and read what clients sent.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

type Json = Record<string, unknown>;

interface EntityTopic {
  epoch: string | null;
  seq: number;
  entity: Json | null;
  history: { seq: number; event: Json; entity: Json; task?: Json }[];
}

interface ListTopic {
  rows: Map<string, Json>;
  version: number;
  /** Cursors at or after this can resume; older ones get must-refetch. */
  horizon: number;
  log: { version: number; row?: Json; rowId?: string }[];
}

interface Sub {
  conn: MockConnection;
  id: string;
  topic: string;
  follow: boolean;
  limit: number;
}

export interface Upgrade {
  url: URL;
  headers: IncomingMessage['headers'];
}

export class MockConnection {
  readonly received: Json[] = [];
  token: string | undefined;
  constructor(
    readonly socket: WebSocket,
    readonly upgrade: Upgrade,
  ) {}

  send(message: Json): void {
    if (this.socket.readyState === 1) {
      this.socket.send(JSON.stringify(message));
    }
  }
}

export interface MockOptions {
  /** Sent in welcome; 0 means the server never sends heartbeats. */
  heartbeatSeconds?: number;
  /** Answer every upgrade with this HTTP status instead of accepting it. */
  refuseWith?: number;
  /** When set, an upgrade needs `?access_token=` that this accepts (else 401). */
  acceptToken?: (token: string) => boolean;
  /** Accept the socket but never send welcome. */
  silent?: boolean;
}

export class MockLiveServer {
  readonly connections: MockConnection[] = [];
  readonly upgrades: Upgrade[] = [];
  readonly entities = new Map<string, EntityTopic>();
  readonly lists = new Map<string, ListTopic>();
  private readonly subs = new Set<Sub>();
  private readonly heartbeats = new Set<ReturnType<typeof setInterval>>();
  private epochCounter = 0;
  url = '';

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    public options: MockOptions,
  ) {}

  static async start(options: MockOptions = {}): Promise<MockLiveServer> {
    const http = createServer((_, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true });
    const server = new MockLiveServer(http, wss, options);
    http.on('upgrade', (req, socket, head) => server.onUpgrade(req, socket as Socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    return server;
  }

  async stop(): Promise<void> {
    for (const timer of this.heartbeats) clearInterval(timer);
    for (const c of this.connections) c.socket.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  get open(): MockConnection[] {
    return this.connections.filter((c) => c.socket.readyState === 1);
  }

  /** Every message the clients sent, across connections. */
  get allReceived(): Json[] {
    return this.connections.flatMap((c) => c.received);
  }

  // ---- entity topics ----

  /** Creates (or re-creates, with a new epoch and seq from 1) an entity. */
  create(topic: string, entity: Json): void {
    const state: EntityTopic = { epoch: `e${++this.epochCounter}`, seq: 0, entity: null, history: [] };
    this.entities.set(topic, state);
    this.change(topic, entity, { type: 'log', message: 'created' });
  }

  /** Commits a change: seq + 1, kept in history, sent to every subscriber. */
  change(topic: string, entity: Json, event: Json, task?: Json): number {
    const state = this.entity(topic);
    state.seq++;
    state.entity = entity;
    const item = { seq: state.seq, event: { ...event, seq: state.seq }, entity, ...(task ? { task } : {}) };
    state.history.push(item);
    for (const sub of this.subsOf(topic)) {
      sub.conn.send({ type: 'change', id: sub.id, epoch: state.epoch, ...item });
    }
    return state.seq;
  }

  /** Sends `end`; subscriptions without follow are closed by the server. */
  end(topic: string, reason: string): void {
    const state = this.entity(topic);
    for (const sub of this.subsOf(topic)) {
      sub.conn.send({ type: 'end', id: sub.id, reason, seq: state.seq });
      if (!sub.follow) this.subs.delete(sub);
    }
  }

  /** Deletes and creates the entity again without anyone online seeing it (the epoch changes). */
  recreateQuietly(topic: string, entity: Json): void {
    const subs = this.subsOf(topic);
    for (const s of subs) this.subs.delete(s);
    this.create(topic, entity);
    for (const s of subs) this.subs.add(s);
  }

  /** Closes one subscription with an `error` (as the server does for `unavailable`, `forbidden`). */
  failSubscription(id: string, code: string): void {
    for (const sub of [...this.subs]) {
      if (sub.id === id) {
        this.subs.delete(sub);
        sub.conn.send({ type: 'error', id, code, message: code });
      }
    }
  }

  // ---- lists ----

  upsert(topic: string, row: Json): void {
    const list = this.list(topic);
    list.rows.set(String(row.id), row);
    list.version++;
    list.log.push({ version: list.version, row });
    for (const sub of this.subsOf(topic)) sub.conn.send({ type: 'upsert', id: sub.id, row, cursor: String(list.version) });
  }

  remove(topic: string, rowId: string): void {
    const list = this.list(topic);
    list.rows.delete(rowId);
    list.version++;
    list.log.push({ version: list.version, rowId });
    for (const sub of this.subsOf(topic)) sub.conn.send({ type: 'remove', id: sub.id, rowId, reason: 'deleted', cursor: String(list.version) });
  }

  /** Forgets the history: every older cursor now gets must-refetch. */
  forgetListHistory(topic: string): void {
    const list = this.list(topic);
    list.horizon = list.version;
    list.log = [];
  }

  // ---- connections ----

  /** Cuts every connection without a close frame (as a network failure would). */
  dropAll(): void {
    this.subs.clear();
    for (const c of this.open) c.socket.terminate();
  }

  closeAll(code: number, reason = ''): void {
    this.subs.clear();
    for (const c of this.open) c.socket.close(code, reason);
  }

  /** Stops answering anything (heartbeats included) on the open connections, without closing them. */
  freeze(): void {
    for (const timer of this.heartbeats) clearInterval(timer);
    this.heartbeats.clear();
    this.subs.clear();
    for (const c of this.open) c.socket.pause();
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const upgrade: Upgrade = { url: new URL(req.url ?? '/', 'http://localhost'), headers: req.headers };
    this.upgrades.push(upgrade);
    const token = upgrade.url.searchParams.get('access_token');
    const refuse = (status: number) => {
      socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    if (upgrade.url.pathname !== '/api/v1/live') return refuse(404);
    if (this.options.refuseWith) return refuse(this.options.refuseWith);
    if (this.options.acceptToken && !(token && this.options.acceptToken(token))) return refuse(401);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, upgrade, token ?? undefined));
  }

  private onConnection(ws: WebSocket, upgrade: Upgrade, token: string | undefined): void {
    const conn = new MockConnection(ws, upgrade);
    conn.token = token;
    this.connections.push(conn);
    ws.on('message', (data) => this.onMessage(conn, String(data)));
    ws.on('close', () => {
      for (const sub of [...this.subs]) if (sub.conn === conn) this.subs.delete(sub);
    });
    if (this.options.silent) return;
    const heartbeatSeconds = this.options.heartbeatSeconds ?? 15;
    conn.send({ type: 'welcome', protocol: 2, heartbeatSeconds, maxSubscriptions: 100 });
    if (heartbeatSeconds > 0) {
      const timer = setInterval(() => conn.send({ type: 'heartbeat' }), heartbeatSeconds * 1000);
      this.heartbeats.add(timer);
      ws.on('close', () => {
        clearInterval(timer);
        this.heartbeats.delete(timer);
      });
    }
  }

  private onMessage(conn: MockConnection, text: string): void {
    let message: Json;
    try {
      message = JSON.parse(text) as Json;
    } catch {
      conn.send({ type: 'error', id: null, code: 'bad-request', message: 'not JSON' });
      return;
    }
    conn.received.push(message);
    const id = message.id as string;
    switch (message.type) {
      case 'ping':
        conn.send({ type: 'pong', timestamp: new Date().toISOString() });
        return;
      case 'auth':
        conn.token = String(message.token);
        conn.send({ type: 'token-accepted', expiresAt: new Date(Date.now() + 60_000).toISOString() });
        return;
      case 'unsubscribe':
        for (const sub of [...this.subs]) if (sub.conn === conn && sub.id === id) this.subs.delete(sub);
        conn.send({ type: 'unsubscribed', id });
        return;
      case 'subscribe':
        this.subscribe(conn, message);
        return;
      default:
        conn.send({ type: 'error', id: null, code: 'bad-request', message: `unknown type ${String(message.type)}` });
    }
  }

  private subscribe(conn: MockConnection, message: Json): void {
    const id = message.id as string;
    const topic = String(message.topic);
    if ([...this.subs].some((s) => s.conn === conn && s.id === id)) {
      conn.send({ type: 'error', id, code: 'duplicate-id', message: 'id in use' });
      return;
    }
    if (topic.endsWith(':forbidden')) {
      conn.send({ type: 'error', id, code: 'forbidden', message: 'the key may not read it' });
      return;
    }
    const sub: Sub = { conn, id, topic, follow: message.follow === true, limit: Number(message.limit ?? 50) };
    if (['tasks', 'runs', 'workflows'].includes(topic) || topic.startsWith('job:')) {
      this.subscribeList(sub, message.cursor as string | undefined);
    } else {
      this.subscribeEntity(sub, message);
    }
  }

  private subscribeEntity(sub: Sub, message: Json): void {
    const state = this.entities.get(sub.topic) ?? { epoch: null, seq: 0, entity: null, history: [] };
    const after = message.after as number | undefined;
    const epoch = message.epoch as string | undefined;
    const send = (m: Json) => sub.conn.send({ ...m, id: sub.id });
    this.subs.add(sub);
    if (after !== undefined && (epoch === undefined || epoch === state.epoch) && after <= state.seq) {
      send({ type: 'subscribed', topic: sub.topic, epoch: state.epoch, seq: after, recovered: true });
      // As the server does: the snapshot (now) when asked, and still every change after `after`.
      if (message.snapshot === true) {
        send({ type: 'snapshot', epoch: state.epoch, seq: state.seq, entity: state.entity });
      }
      for (const item of state.history.filter((h) => h.seq > after)) {
        send({ type: 'change', epoch: state.epoch, ...item, entity: state.entity });
      }
      return;
    }
    send({ type: 'subscribed', topic: sub.topic, epoch: state.epoch, seq: state.seq, recovered: false });
    if (after !== undefined || message.snapshot === true) {
      send({ type: 'snapshot', epoch: state.epoch, seq: state.seq, entity: state.entity });
    }
  }

  private subscribeList(sub: Sub, cursor: string | undefined): void {
    const list = this.list(sub.topic);
    const send = (m: Json) => sub.conn.send({ ...m, id: sub.id });
    this.subs.add(sub);
    if (cursor !== undefined && Number(cursor) >= list.horizon) {
      send({ type: 'subscribed', topic: sub.topic, epoch: null, seq: 0, recovered: true });
      for (const item of list.log.filter((l) => l.version > Number(cursor))) {
        if (item.row) send({ type: 'upsert', row: item.row, cursor: String(item.version) });
        else send({ type: 'remove', rowId: item.rowId, reason: 'deleted', cursor: String(item.version) });
      }
      send({ type: 'up-to-date', cursor: String(list.version) });
      return;
    }
    send({ type: 'subscribed', topic: sub.topic, epoch: null, seq: 0, recovered: false });
    if (cursor !== undefined) send({ type: 'must-refetch', reason: 'cursor too old' });
    const rows = [...list.rows.values()].sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt))).slice(0, sub.limit);
    send({ type: 'snapshot', rows, cursor: String(list.version) });
  }

  private entity(topic: string): EntityTopic {
    const state = this.entities.get(topic);
    if (!state) throw new Error(`no entity ${topic}`);
    return state;
  }

  private list(topic: string): ListTopic {
    let list = this.lists.get(topic);
    if (!list) {
      list = { rows: new Map(), version: 0, horizon: 0, log: [] };
      this.lists.set(topic, list);
    }
    return list;
  }

  private subsOf(topic: string): Sub[] {
    return [...this.subs].filter((s) => s.topic === topic);
  }
}

/** Polls `check` until it holds (tests assert on outcomes, never on elapsed time). */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

import type { Credentials, TokenSource } from '../auth.js';
import { LiveError } from '../errors.js';
import { queryString } from '../http.js';
import { livePath } from '../routes.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { closeCodes, type ServerMessage, type Welcome } from './protocol.js';
import type { HostedSubscription, SubscriptionHost } from './subscription.js';
import { watchWakeUps } from './wakeups.js';

/**
 * `idle`: no subscription, no socket. `connecting`: the first connect. `open`: `welcome` received.
 * `reconnecting`: the link dropped (or never came up) and a retry is scheduled or under way.
 * `closed`: stopped for good (the server refused us, or `client.close()`).
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionStateEvent {
  state: ConnectionState;
  /** While `reconnecting`: the delay before the next attempt, ms. */
  nextRetryDelayMs?: number;
  /** Consecutive failed attempts so far. */
  attempt: number;
  /** Why the connection is `closed` (absent after `client.close()`). */
  error?: LiveError;
}

export interface ConnectionEvents extends Record<string, unknown> {
  state: ConnectionStateEvent;
  error: LiveError;
}

/** Any WebSocket class: the browser's, React Native's, or `ws` in Node. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WebSocketConstructor = new (url: string, ...rest: any[]) => unknown;

export interface LiveOptions {
  /** Default `globalThis.WebSocket`. In Node before 22 pass `ws`'s class. */
  WebSocket?: WebSocketConstructor;
  /**
   * Where an API key goes on the socket: `header` (`X-API-Key`, for implementations that take
   * `{headers}` as the third constructor argument, like `ws` and React Native) or `query`
   * (`?apiKey=`, read-only, ends up in proxy logs: prefer tokens in browsers). Default `header`
   * when `WebSocket` is passed, else `query`.
   */
  apiKeyIn?: 'header' | 'query';
  /** Reconnect backoff (full jitter, 500 ms → 20 s, forever). */
  retry?: BackoffOptions;
  /** Give up on one attempt when no `welcome` came within this, ms. Default 10,000. */
  connectTimeoutMs?: number;
  /** Silence that means a dead link when `welcome` names no heartbeat, ms. Default 30,000. */
  stallTimeoutMs?: number;
  /**
   * After this many attempts in a row that closed before `welcome` (a browser cannot see the
   * upgrade's HTTP status), report a non-final `handshake-failed` error; retries go on. Default 5.
   */
  handshakeFailuresBeforeError?: number;
}

interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate?: () => void;
}

const openState = 1;

/**
 * The one WebSocket to `/api/v1/live` that every subscription of a client shares. Opened lazily by
 * the first subscription and closed after the last one; reconnects forever with backoff and
 * resubscribes everything on each `welcome`; detects dead links by the server's heartbeat.
 */
export class LiveConnection extends Emitter<ConnectionEvents> implements SubscriptionHost {
  state: ConnectionState = 'idle';
  /** The delay before the next attempt while `reconnecting`, ms. */
  nextRetryDelayMs: number | undefined;
  readonly retry: BackoffOptions;

  private readonly subs = new Map<string, HostedSubscription>();
  /** Subscriptions sent on this socket and not answered yet: never send one twice. */
  private readonly awaitingAnswer = new Set<string>();
  private nextId = 1;
  private socket: SocketLike | undefined;
  private generation = 0;
  private welcomed = false;
  private attempt = 0;
  private handshakeFailures = 0;
  private upgradeStatus: number | undefined;
  private stallMs = 0;
  private disposed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private stopWatchingWakeUps: (() => void) | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: Credentials,
    private readonly tokens: TokenSource | undefined,
    private readonly options: LiveOptions = {},
  ) {
    super();
    this.retry = options.retry ?? {};
  }

  /** Skips the wait of a scheduled reconnect (the SDK does it on `online` and when a tab becomes visible). */
  retryNow(): void {
    if (this.state === 'reconnecting' && this.socket === undefined && this.subs.size > 0) {
      this.connect();
    }
  }

  attach(sub: HostedSubscription): void {
    if (this.disposed) {
      sub.fail(new LiveError('closed', 'the client was closed', true));
      return;
    }
    sub.id = `s${this.nextId++}`;
    this.subs.set(sub.id, sub);
    clearTimeout(this.idleTimer);
    if (this.state === 'open') {
      this.sendSubscribe(sub);
    } else if (this.state === 'idle' || this.state === 'closed') {
      this.connect();
    }
  }

  detach(sub: HostedSubscription, notify: boolean): void {
    if (this.subs.get(sub.id) !== sub) {
      return;
    }
    this.subs.delete(sub.id);
    this.awaitingAnswer.delete(sub.id);
    if (notify) {
      this.send({ type: 'unsubscribe', id: sub.id });
    }
    if (this.subs.size === 0) {
      // A macrotask later, so a component that unsubscribes and subscribes again in one pass
      // (React StrictMode's double effects) keeps the socket.
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.goIdle(), 0);
    }
  }

  resubscribe(sub: HostedSubscription): void {
    if (this.subs.get(sub.id) === sub && this.state === 'open' && !this.awaitingAnswer.has(sub.id)) {
      this.sendSubscribe(sub);
    }
  }

  /** Closes every subscription and the socket; no subscription can be opened afterwards. */
  dispose(): void {
    this.disposed = true;
    for (const sub of [...this.subs.values()]) {
      sub.close();
    }
    this.goIdle();
    this.setState('closed');
  }

  private async connect(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stopWatchingWakeUps ??= watchWakeUps(() => this.retryNow());
    const generation = ++this.generation;
    this.setState(this.state === 'idle' || this.state === 'closed' || this.state === 'connecting' ? 'connecting' : 'reconnecting');

    const query: Record<string, string> = {};
    const headers: Record<string, string> = {};
    try {
      if (this.tokens) {
        query.access_token = await this.tokens.refresh();
      } else if (this.credentials.apiKey !== undefined) {
        if (this.apiKeyIn === 'header') headers['X-API-Key'] = this.credentials.apiKey;
        else query.apiKey = this.credentials.apiKey;
      }
    } catch (error) {
      if (generation === this.generation) {
        this.reportError(new LiveError('token', `getToken failed: ${messageOf(error)}`, false));
        this.scheduleReconnect();
      }
      return;
    }
    if (generation !== this.generation || this.subs.size === 0 || this.disposed) {
      return;
    }

    const Ctor = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) {
      this.stop(new LiveError('no-websocket', 'no WebSocket implementation: pass the WebSocket option', true));
      return;
    }
    const url = this.baseUrl.replace(/^http/, 'ws') + livePath + queryString(query);
    let socket: SocketLike;
    try {
      socket = (Object.keys(headers).length ? new Ctor(url, [], { headers }) : new Ctor(url)) as SocketLike;
    } catch (error) {
      this.stop(new LiveError('bad-url', `cannot open ${url}: ${messageOf(error)}`, true));
      return;
    }
    this.socket = socket;
    this.welcomed = false;
    this.upgradeStatus = undefined;
    socket.onmessage = (event) => this.onMessage(socket, event.data);
    socket.onerror = (event) => {
      if (socket === this.socket) this.upgradeStatus ??= statusOf(event);
    };
    socket.onclose = (event) => this.onClose(socket, event.code, event.reason);
    this.connectTimer = setTimeout(() => this.abandon(socket, 'no welcome in time'), this.options.connectTimeoutMs ?? 10_000);
  }

  private get apiKeyIn(): 'header' | 'query' {
    return this.options.apiKeyIn ?? (this.options.WebSocket ? 'header' : 'query');
  }

  private onMessage(socket: SocketLike, data: unknown): void {
    if (socket !== this.socket) {
      return;
    }
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    if (!message || typeof message !== 'object') {
      return;
    }
    this.armStall(socket);
    switch (message.type) {
      case 'welcome':
        this.onWelcome(socket, message as unknown as Welcome);
        return;
      case 'token-expiring':
        this.renewToken(socket);
        return;
      case 'heartbeat':
      case 'pong':
      case 'token-accepted':
        return;
      default:
        break;
    }
    if (typeof message.id !== 'string') {
      if (message.type === 'error') {
        this.reportError(new LiveError(String(message.code), String(message.message), false));
      }
      return;
    }
    if (message.type === 'subscribed' || message.type === 'error') {
      this.awaitingAnswer.delete(message.id);
    }
    this.subs.get(message.id)?.handle(message);
  }

  private onWelcome(socket: SocketLike, welcome: Welcome): void {
    clearTimeout(this.connectTimer);
    this.welcomed = true;
    this.attempt = 0;
    this.handshakeFailures = 0;
    this.nextRetryDelayMs = undefined;
    this.stallMs = welcome.heartbeatSeconds > 0 ? 2 * welcome.heartbeatSeconds * 1000 : this.options.stallTimeoutMs ?? 30_000;
    this.armStall(socket);
    this.awaitingAnswer.clear();
    this.setState('open');
    for (const sub of this.subs.values()) {
      this.sendSubscribe(sub);
    }
  }

  /** The server warns 30 s before the token expires: answer with a fresh one on the same socket. */
  private renewToken(socket: SocketLike): void {
    if (!this.tokens) {
      return;
    }
    this.tokens.refresh().then(
      (token) => {
        if (socket === this.socket) this.send({ type: 'auth', token });
      },
      (error: unknown) => this.reportError(new LiveError('token', `getToken failed: ${messageOf(error)}`, false)),
    );
  }

  private onClose(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.socket) {
      return;
    }
    this.socket = undefined;
    clearTimeout(this.connectTimer);
    clearTimeout(this.stallTimer);
    const welcomed = this.welcomed;
    this.welcomed = false;
    this.awaitingAnswer.clear();
    for (const sub of this.subs.values()) {
      sub.disconnected();
    }
    if (this.subs.size === 0 || this.disposed) {
      this.goIdle();
      return;
    }
    const fatal = this.fatalError(code, reason);
    if (fatal) {
      this.stop(fatal);
      return;
    }
    if (!welcomed && ++this.handshakeFailures === (this.options.handshakeFailuresBeforeError ?? 5)) {
      const error = new LiveError('handshake-failed', `${this.handshakeFailures} connection attempts in a row closed before the server's welcome (last close ${code})`, false);
      this.reportError(error);
      for (const sub of this.subs.values()) sub.fail(error);
    }
    if (welcomed && code === closeCodes.tokenExpired && this.tokens) {
      this.connect(); // at once, with a fresh token
      return;
    }
    this.scheduleReconnect();
  }

  /** Answers that retrying cannot fix: the upgrade refused 400/403/404 (401 with an API key), or a 4403 close. */
  private fatalError(code: number, reason: string): LiveError | undefined {
    const status = this.upgradeStatus;
    if (code === closeCodes.forbidden) {
      return new LiveError('forbidden', `the server closed the connection (4403${reason ? `: ${reason}` : ''})`, true);
    }
    if (status === 400 || status === 403 || status === 404) {
      return new LiveError(`http-${status}`, `the server refused the WebSocket upgrade with HTTP ${status}`, true);
    }
    if (status === 401 && !this.tokens) {
      return new LiveError('unauthorized', this.credentials.cookie ? 'the server refused the session cookie (HTTP 401): sign in again' : 'the server refused the API key (HTTP 401)', true);
    }
    return undefined;
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt++, this.retry);
    this.nextRetryDelayMs = delay;
    this.setState('reconnecting');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Every subscription fails with `error`; the socket stays closed until a new subscription. */
  private stop(error: LiveError): void {
    const subs = [...this.subs.values()];
    this.subs.clear();
    this.goIdle();
    this.setState('closed', error);
    this.reportError(error);
    for (const sub of subs) {
      sub.fail(error);
    }
  }

  private goIdle(): void {
    if (this.subs.size > 0) {
      return;
    }
    clearTimeout(this.idleTimer);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.generation++;
    this.stopWatchingWakeUps?.();
    this.stopWatchingWakeUps = undefined;
    const socket = this.socket;
    if (socket) {
      this.socket = undefined;
      clearTimeout(this.connectTimer);
      clearTimeout(this.stallTimer);
      silence(socket);
      try {
        socket.close(1000);
      } catch {
        // already closing
      }
    }
    this.attempt = 0;
    this.handshakeFailures = 0;
    this.nextRetryDelayMs = undefined;
    if (this.state !== 'closed') {
      this.setState('idle');
    }
  }

  /** A link that went silent or never said welcome: drop it now rather than wait for TCP. */
  private abandon(socket: SocketLike, reason: string): void {
    if (socket !== this.socket) {
      return;
    }
    silence(socket);
    try {
      if (socket.terminate) socket.terminate();
      else socket.close(closeCodes.stalled, reason);
    } catch {
      // already closed
    }
    this.onClose(socket, closeCodes.stalled, reason);
  }

  private armStall(socket: SocketLike): void {
    if (!this.welcomed) {
      return;
    }
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.abandon(socket, 'stalled'), this.stallMs);
  }

  private sendSubscribe(sub: HostedSubscription): void {
    this.awaitingAnswer.add(sub.id);
    this.send(sub.subscribeMessage());
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket && this.socket.readyState === openState) {
      this.socket.send(JSON.stringify(message));
    }
  }

  private reportError(error: LiveError): void {
    this.emit('error', error);
  }

  private setState(state: ConnectionState, error?: LiveError): void {
    this.state = state;
    const event: ConnectionStateEvent = { state, attempt: this.attempt };
    if (state === 'reconnecting' && this.nextRetryDelayMs !== undefined) event.nextRetryDelayMs = this.nextRetryDelayMs;
    if (error) event.error = error;
    this.emit('state', event);
  }
}

function silence(socket: SocketLike): void {
  socket.onmessage = null;
  socket.onclose = null;
  socket.onopen = null;
  // Keep an error handler: `ws` throws on an 'error' event nobody listens to.
  socket.onerror = () => {};
}

/** The HTTP status of a refused upgrade, where the implementation tells it (`ws`: "Unexpected server response: 403"). */
function statusOf(event: unknown): number | undefined {
  const e = event as { message?: unknown; error?: { message?: unknown } } | undefined;
  const text = String(e?.message ?? e?.error?.message ?? '');
  const match = /Unexpected server response: (\d{3})/.exec(text);
  return match ? Number(match[1]) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

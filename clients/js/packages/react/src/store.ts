import type { ConnectionState, LiveError, SpectralClient } from '@spectralnotify/client';

/** What every hook returns. `data` is undefined until the first answer (or while disabled). */
export interface LiveResult<T> {
  data: T | undefined;
  connection: ConnectionState;
  error: LiveError | undefined;
}

/** How a hook opens its subscription and reads its data; `notify` re-renders (throttled). */
export interface LiveSource<T> {
  open(client: SpectralClient, notify: () => void): { read(): T | undefined; error(): LiveError | undefined; close(): void };
}

type Listener = () => void;

/**
 * One live subscription shared by every component that asks for the same key on one client,
 * shaped for useSyncExternalStore: opened with the first listener, closed after the last, and a
 * snapshot object that changes identity only when something changed (at most once per
 * `throttleMs`, plus a trailing update so the last state is never lost).
 */
export class LiveStore<T> {
  private readonly listeners = new Set<Listener>();
  private opened: ReturnType<LiveSource<T>['open']> | undefined;
  private stopConnection: (() => void) | undefined;
  private snapshot: LiveResult<T>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastNotify = 0;

  constructor(
    private readonly client: SpectralClient,
    private readonly source: LiveSource<T> | undefined,
    private readonly throttleMs: number,
    private readonly onIdle: () => void = () => {},
  ) {
    this.snapshot = { data: undefined, connection: client.connection.state, error: undefined };
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.start();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.stop();
      }
    };
  };

  getSnapshot = (): LiveResult<T> => this.snapshot;

  private start(): void {
    this.stopConnection = this.client.connection.on('state', this.schedule);
    this.opened = this.source?.open(this.client, this.schedule);
    this.refresh();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopConnection?.();
    this.opened?.close();
    this.opened = undefined;
    this.onIdle();
  }

  private readonly schedule = (): void => {
    if (this.timer !== undefined) {
      return;
    }
    const wait = this.lastNotify + this.throttleMs - Date.now();
    if (wait <= 0) {
      this.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, wait);
  };

  private refresh(): void {
    this.lastNotify = Date.now();
    const next: LiveResult<T> = {
      data: this.opened?.read(),
      connection: this.client.connection.state,
      error: this.opened?.error(),
    };
    const prev = this.snapshot;
    if (next.data === prev.data && next.connection === prev.connection && next.error === prev.error) {
      return;
    }
    this.snapshot = next;
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}

const stores = new WeakMap<SpectralClient, Map<string, LiveStore<unknown>>>();

/** The shared store for `key` on `client`, made on first use and forgotten when it goes idle. */
export function storeFor<T>(client: SpectralClient, key: string, source: LiveSource<T>, throttleMs: number): LiveStore<T> {
  let byKey = stores.get(client);
  if (!byKey) {
    byKey = new Map();
    stores.set(client, byKey);
  }
  const id = `${throttleMs}|${key}`;
  let store = byKey.get(id) as LiveStore<T> | undefined;
  if (!store) {
    const made: LiveStore<T> = new LiveStore(client, source, throttleMs, () => {
      if (byKey!.get(id) === made) byKey!.delete(id);
    });
    byKey.set(id, made as LiveStore<unknown>);
    store = made;
  }
  return store;
}

import type { Json } from '../types.js';
import type { ListSnapshot, Remove, ServerMessage, Subscribed, Upsert, UpToDate } from './protocol.js';
import { SubscriptionBase, type BaseEvents, type SubscriptionHost } from './subscription.js';

/** The filter of a live list (docs/realtime.md, "Live filtered lists"); fields combine with AND. */
export interface ListFilter {
  status?: string[];
  state?: string[];
  type?: string;
  queue?: string;
  jobId?: string;
  workflowId?: string;
  metadata?: Record<string, string | number | boolean>;
  /** Tasks only: the id starts with it or the title contains it, ignoring the case of A–Z. */
  search?: string;
  createdAfter?: string;
  createdBefore?: string;
}

export interface ListOptions {
  /** 1–200 rows (server default 50). */
  limit?: number;
  /** Resume from a cursor kept from an earlier subscription. */
  cursor?: string;
}

export interface ListRow {
  id: string;
  updatedAt?: string;
}

export type ListMessage<R> =
  | { type: 'snapshot'; rows: readonly R[]; cursor: string }
  | { type: 'reset'; rows: readonly R[]; cursor: string }
  | { type: 'upsert'; row: R; rows: readonly R[]; cursor: string }
  | { type: 'remove'; rowId: string; reason: Remove['reason']; rows: readonly R[]; cursor: string }
  | { type: 'up-to-date'; rows: readonly R[]; cursor: string };

export interface ListEvents<R> extends BaseEvents {
  snapshot: Extract<ListMessage<R>, { type: 'snapshot' }>;
  /** The list could not be resumed (`must-refetch`): these rows replace everything held. */
  reset: Extract<ListMessage<R>, { type: 'reset' }>;
  change: Extract<ListMessage<R>, { type: 'upsert' | 'remove' }>;
  'up-to-date': Extract<ListMessage<R>, { type: 'up-to-date' }>;
}

const defaultLimit = 50;

/**
 * A live filtered list (`tasks`, `runs`, `workflows`, `job:<id>`). Holds the rows newest
 * `updatedAt` first, trimmed to `limit`; applies upserts and removes; resumes from the last cursor
 * after a reconnect; on `must-refetch` drops every row and reports the fresh snapshot as `reset`.
 */
export class ListSubscription<R extends ListRow> extends SubscriptionBase<ListMessage<R>, ListEvents<R>> {
  rows: readonly R[] = [];
  cursor: string | undefined;
  /** True while a resumed list is still receiving what it missed (until `up-to-date`). */
  catchingUp = false;
  readonly limit: number;

  private resetPending = false;

  constructor(
    host: SubscriptionHost,
    topic: string,
    private readonly filter: ListFilter | undefined,
    options: ListOptions = {},
  ) {
    super(host, topic);
    this.limit = options.limit ?? defaultLimit;
    this.cursor = options.cursor;
    this.start();
  }

  subscribeMessage(): Record<string, unknown> {
    const message: Record<string, unknown> = { type: 'subscribe', id: this.id, topic: this.topic, limit: this.limit };
    if (this.filter && Object.keys(this.filter).length > 0) {
      message.filter = this.filter as Json;
    }
    if (this.cursor !== undefined) {
      message.cursor = this.cursor;
    }
    return message;
  }

  protected onSubscribed(message: Subscribed): void {
    this.catchingUp = this.cursor !== undefined && message.recovered;
  }

  protected apply(message: ServerMessage): void {
    switch (message.type) {
      case 'must-refetch':
        this.rows = [];
        this.resetPending = true;
        this.emit('update', undefined);
        return;
      case 'snapshot': {
        const snapshot = message as unknown as ListSnapshot<R>;
        this.rows = trim([...snapshot.rows].sort(newestFirst), this.limit);
        this.cursor = snapshot.cursor;
        if (this.resetPending) {
          this.resetPending = false;
          this.emitAndYield('reset', { type: 'reset', rows: this.rows, cursor: snapshot.cursor });
        } else {
          this.emitAndYield('snapshot', { type: 'snapshot', rows: this.rows, cursor: snapshot.cursor });
        }
        return;
      }
      case 'upsert': {
        const upsert = message as unknown as Upsert<R>;
        this.rows = trim(upserted(this.rows, upsert.row), this.limit);
        this.cursor = upsert.cursor;
        this.emitAndYield('change', { type: 'upsert', row: upsert.row, rows: this.rows, cursor: upsert.cursor });
        return;
      }
      case 'remove': {
        const remove = message as unknown as Remove;
        this.rows = this.rows.filter((row) => row.id !== remove.rowId);
        this.cursor = remove.cursor;
        this.emitAndYield('change', { type: 'remove', rowId: remove.rowId, reason: remove.reason, rows: this.rows, cursor: remove.cursor });
        return;
      }
      case 'up-to-date': {
        const upToDate = message as unknown as UpToDate;
        this.cursor = upToDate.cursor;
        this.catchingUp = false;
        this.emitAndYield('up-to-date', { type: 'up-to-date', rows: this.rows, cursor: upToDate.cursor });
        return;
      }
      default:
        return;
    }
  }

  private emitAndYield<K extends 'snapshot' | 'reset' | 'change' | 'up-to-date'>(event: K, message: ListEvents<R>[K]): void {
    this.emit(event, message);
    this.yield(message as ListMessage<R>);
    this.emit('update', undefined);
  }
}

/**
 * Newest `updatedAt` first (ISO-8601 UTC strings compare as text), ties by id. Rows without
 * `updatedAt` keep the order they arrived in, newest arrival first.
 */
function newestFirst(a: ListRow, b: ListRow): number {
  if (a.updatedAt === undefined || b.updatedAt === undefined) {
    return 0;
  }
  if (a.updatedAt !== b.updatedAt) {
    return a.updatedAt < b.updatedAt ? 1 : -1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function upserted<R extends ListRow>(rows: readonly R[], row: R): R[] {
  const rest = rows.filter((r) => r.id !== row.id);
  let at = 0;
  while (at < rest.length && newestFirst(rest[at]!, row) < 0) {
    at++;
  }
  rest.splice(at, 0, row);
  return rest;
}

function trim<R>(rows: R[], limit: number): R[] {
  return rows.length > limit ? rows.slice(0, limit) : rows;
}

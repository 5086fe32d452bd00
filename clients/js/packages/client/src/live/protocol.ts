// Messages of protocol v2 on GET /api/v1/live (docs/realtime.md). Unknown types and fields are
// ignored, as the contract asks.

import type { Json } from '../types.js';

export type EndReason = 'success' | 'failed' | 'canceled' | 'deleted';
export type RemoveReason = 'left-filter' | 'deleted' | 'limit';

export interface Welcome {
  type: 'welcome';
  protocol: number;
  heartbeatSeconds: number;
  maxSubscriptions: number;
}

export interface Subscribed {
  type: 'subscribed';
  id: string;
  topic: string;
  epoch: string | null;
  seq: number;
  recovered: boolean;
}

export interface EntitySnapshot<E> {
  type: 'snapshot';
  id: string;
  epoch: string | null;
  seq: number;
  entity: E | null;
}

export interface Change<E, Ev> {
  type: 'change';
  id: string;
  epoch: string | null;
  seq: number;
  event: Ev;
  entity: E;
  /** A run's change also carries its task. */
  task?: Json;
}

export interface End {
  type: 'end';
  id: string;
  reason: EndReason;
  seq: number;
}

export interface ListSnapshot<R> {
  type: 'snapshot';
  id: string;
  rows: R[];
  cursor: string;
}

export interface Upsert<R> {
  type: 'upsert';
  id: string;
  row: R;
  cursor: string;
}

export interface Remove {
  type: 'remove';
  id: string;
  rowId: string;
  reason: RemoveReason;
  cursor: string;
}

export interface UpToDate {
  type: 'up-to-date';
  id: string;
  cursor: string;
}

export interface MustRefetch {
  type: 'must-refetch';
  id: string;
  reason: string;
}

export interface ServerError {
  type: 'error';
  id: string | null;
  code: string;
  message: string;
}

/** Anything the server sends, loosely: handlers narrow on `type`. */
export interface ServerMessage {
  type: string;
  id?: string | null;
  [field: string]: unknown;
}

/** Codes after which a subscription is closed for good. `unavailable` is retried instead. */
export const retryableSubscriptionErrors: ReadonlySet<string> = new Set(['unavailable']);

export const closeCodes = {
  /** The token expired unrenewed: fetch a new one and reconnect. */
  tokenExpired: 4401,
  /** The credential may not use the connection: stop. */
  forbidden: 4403,
  /** Our own close when the server went silent. */
  stalled: 4000,
} as const;

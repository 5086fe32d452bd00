import type { Json } from '../types.js';
import type { Change, End, EntitySnapshot, ServerMessage, Subscribed } from './protocol.js';
import { SubscriptionBase, type BaseEvents, type SubscriptionHost } from './subscription.js';

export interface WatchOptions {
  /** Replay every change after this seq first (`0`: the whole history). */
  after?: number;
  /** The epoch `after` belongs to; without it the server trusts `after` as is. */
  epoch?: string;
  /** Send the entity first (`snapshot` message), then changes after it. */
  snapshot?: boolean;
  /** Keep the subscription after the entity ends (a re-created entity goes on streaming). */
  follow?: boolean;
}

export interface SnapshotMessage<E> {
  type: 'snapshot';
  epoch: string | null;
  seq: number;
  entity: E | null;
}

/** The stream could not be resumed (the entity was re-created, or history is gone): start again from `entity`. */
export interface ResetMessage<E> {
  type: 'reset';
  epoch: string | null;
  seq: number;
  entity: E | null;
}

export interface ChangeMessage<E, Ev> {
  type: 'change';
  epoch: string | null;
  seq: number;
  event: Ev;
  entity: E;
  task?: Json;
}

export interface EndMessage {
  type: 'end';
  reason: End['reason'];
  seq: number;
}

export type EntityMessage<E, Ev> = SnapshotMessage<E> | ResetMessage<E> | ChangeMessage<E, Ev> | EndMessage;

export interface EntityEvents<E, Ev> extends BaseEvents {
  snapshot: SnapshotMessage<E>;
  reset: ResetMessage<E>;
  change: ChangeMessage<E, Ev>;
  end: EndMessage;
}

/**
 * A subscription to one entity topic (`task:`, `workflow:`, `counter:`, `run:`). Keeps the entity
 * and the stream position `(epoch, seq)`; after a reconnect it resumes with `after` + `epoch`,
 * drops anything at or below the last seq of the same epoch, and turns `recovered: false` into a
 * `reset` carrying the server's snapshot.
 */
export class EntitySubscription<E, Ev> extends SubscriptionBase<EntityMessage<E, Ev>, EntityEvents<E, Ev>> {
  /** The entity as of the last message; `undefined` until one arrives, `null` when it does not exist. */
  entity: E | null | undefined;
  /** For `run:` topics: the run's task as of the last change. */
  task: Json | undefined;
  epoch: string | null | undefined;
  /** The last seq received (the resume point). */
  seq: number | undefined;

  /** The next snapshot answers a resume that failed: report it as `reset`. */
  private resetPending = false;
  /**
   * The next snapshot came with a resume the server honoured: it is the entity now, but the replay
   * of every change after `after` follows it, so it must not move the position (or the replay
   * would be dropped as duplicates).
   */
  private snapshotBeforeReplay = false;

  constructor(
    host: SubscriptionHost,
    topic: string,
    private readonly options: WatchOptions = {},
  ) {
    super(host, topic);
    this.start();
  }

  subscribeMessage(): Record<string, unknown> {
    const message: Record<string, unknown> = { type: 'subscribe', id: this.id, topic: this.topic };
    if (this.seq !== undefined) {
      message.after = this.seq;
      if (this.epoch != null) {
        message.epoch = this.epoch;
      }
    } else {
      // Nothing received yet (not even the snapshot asked for): the first subscribe again.
      if (this.options.after !== undefined) message.after = this.options.after;
      if (this.options.epoch !== undefined) message.epoch = this.options.epoch;
      if (this.options.snapshot) message.snapshot = true;
    }
    if (this.options.follow) {
      message.follow = true;
    }
    return message;
  }

  protected onSubscribed(message: Subscribed): void {
    // A resume: after a reconnect, or a first subscribe from a position the app kept.
    const resumed = this.seq !== undefined || (!this.everSubscribed && this.options.after !== undefined);
    this.snapshotBeforeReplay = resumed && message.recovered;
    if (resumed && !message.recovered) {
      // Keep the old position until the snapshot arrives: if the link drops before it, the next
      // resume fails the same way and the snapshot comes again, instead of silently skipping.
      this.resetPending = true;
      return;
    }
    if (!resumed && this.options.snapshot) {
      return; // the position comes with the snapshot
    }
    this.epoch = message.epoch;
    this.seq = message.seq;
  }

  protected apply(message: ServerMessage): void {
    switch (message.type) {
      case 'snapshot': {
        const snapshot = message as unknown as EntitySnapshot<E>;
        this.entity = snapshot.entity;
        if (this.snapshotBeforeReplay) {
          this.snapshotBeforeReplay = false;
        } else {
          this.epoch = snapshot.epoch;
          this.seq = snapshot.seq;
        }
        const out = { type: this.resetPending ? 'reset' : 'snapshot', epoch: snapshot.epoch, seq: snapshot.seq, entity: snapshot.entity } as const;
        if (this.resetPending) {
          this.resetPending = false;
          this.emitAndYield('reset', { ...out, type: 'reset' });
        } else {
          this.emitAndYield('snapshot', { ...out, type: 'snapshot' });
        }
        return;
      }
      case 'change': {
        const change = message as unknown as Change<E, Ev>;
        if (this.resetPending || (change.epoch === this.epoch && this.seq !== undefined && change.seq <= this.seq)) {
          return; // a duplicate of what we hold (or stale, before the reset's snapshot)
        }
        this.entity = change.entity;
        this.epoch = change.epoch;
        this.seq = change.seq;
        const out: ChangeMessage<E, Ev> = { type: 'change', epoch: change.epoch, seq: change.seq, event: change.event, entity: change.entity };
        if (change.task !== undefined) {
          this.task = change.task;
          out.task = change.task;
        }
        this.emitAndYield('change', out);
        return;
      }
      case 'end': {
        const end = message as unknown as End;
        this.emitAndYield('end', { type: 'end', reason: end.reason, seq: end.seq });
        if (!this.options.follow) {
          this.finish('ended', false);
        }
        return;
      }
      default:
        return; // unsubscribed, and types this version does not know
    }
  }

  private emitAndYield<K extends 'snapshot' | 'reset' | 'change' | 'end'>(event: K, message: EntityEvents<E, Ev>[K]): void {
    this.emit(event, message);
    this.yield(message as EntityMessage<E, Ev>);
    this.emit('update', undefined);
  }
}

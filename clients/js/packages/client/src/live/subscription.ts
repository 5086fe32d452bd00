import { LiveError } from '../errors.js';
import { backoffDelay } from './backoff.js';
import { Channel } from './channel.js';
import { Emitter } from './emitter.js';
import { retryableSubscriptionErrors, type ServerError, type ServerMessage, type Subscribed } from './protocol.js';

/**
 * `subscribing`: waiting for `subscribed` (also again after a reconnect); `subscribed`: live;
 * `ended`: the entity became terminal (not with `follow`); `closed`: `close()` was called;
 * `failed`: the server refused it for good (see `error`).
 */
export type SubscriptionState = 'subscribing' | 'subscribed' | 'ended' | 'closed' | 'failed';

export interface SubscribedInfo {
  topic: string;
  recovered: boolean;
  /** True when this `subscribed` answers a resume after a reconnect. */
  wasRecovering: boolean;
}

/** What the connection sees of a subscription. */
export interface HostedSubscription {
  id: string;
  subscribeMessage(): Record<string, unknown>;
  handle(message: ServerMessage): void;
  disconnected(): void;
  fail(error: LiveError): void;
  close(): void;
}

/** What a subscription needs from the connection. */
export interface SubscriptionHost {
  attach(sub: HostedSubscription): void;
  /** `notify`: tell the server (false when the server already closed it). */
  detach(sub: HostedSubscription, notify: boolean): void;
  /** Sends this subscription's `subscribe` again if the socket is open (after `unavailable`). */
  resubscribe(sub: HostedSubscription): void;
  readonly retry: { minDelayMs?: number; maxDelayMs?: number; random?: () => number };
}

export interface BaseEvents {
  subscribed: SubscribedInfo;
  error: LiveError;
  /** Any change of `state` or of the data the subscription holds (one event per message). */
  update: void;
}

/**
 * One subscription on the shared live connection: protocol plumbing common to entity topics and
 * lists (ids, resubscribe on reconnect, errors, close, `for await`). Subclasses apply messages.
 */
export abstract class SubscriptionBase<Msg = unknown, Events extends BaseEvents = BaseEvents>
  extends Emitter<Events>
  implements AsyncIterable<Msg>, HostedSubscription
{
  /** The subscription's id on the connection (client-chosen, set by the connection). */
  id = '';
  state: SubscriptionState = 'subscribing';
  error: LiveError | undefined;

  /** True once a `subscribed` arrived on some connection: a later subscribe is a resume. */
  protected everSubscribed = false;
  private readonly channels = new Set<Channel<Msg>>();
  private unavailableAttempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  protected constructor(
    protected readonly host: SubscriptionHost,
    readonly topic: string,
  ) {
    super();
  }

  /** Called by subclasses' constructors once their fields are set. */
  protected start(): void {
    this.host.attach(this);
  }

  /** The `subscribe` message for now: first time, or a resume from what was received. */
  abstract subscribeMessage(): Record<string, unknown>;

  /** Applies one message of this subscription (`subscribed` and `error` are handled here). */
  protected abstract apply(message: ServerMessage): void;

  /** The connection dropped: the subscription will be sent again on the next `welcome`. */
  disconnected(): void {
    if (this.isOpen) {
      this.setState('subscribing');
    }
  }

  get isOpen(): boolean {
    return this.state === 'subscribing' || this.state === 'subscribed';
  }

  handle(message: ServerMessage): void {
    if (!this.isOpen) {
      return;
    }
    if (message.type === 'subscribed') {
      const subscribed = message as unknown as Subscribed;
      const info: SubscribedInfo = { topic: subscribed.topic, recovered: subscribed.recovered, wasRecovering: this.everSubscribed };
      this.unavailableAttempts = 0;
      this.error = undefined;
      this.state = 'subscribed';
      this.onSubscribed(subscribed);
      this.everSubscribed = true;
      this.emit('subscribed', info);
      this.emit('update', undefined);
      return;
    }
    if (message.type === 'error') {
      this.onServerError(message as unknown as ServerError);
      return;
    }
    this.apply(message);
  }

  /** Called before `everSubscribed` is set, so it can tell a first answer from a resume. */
  protected abstract onSubscribed(message: Subscribed): void;

  /** The connection (or a fatal server answer) ends this subscription with an error. */
  fail(error: LiveError): void {
    if (!this.isOpen) {
      return;
    }
    this.error = error;
    if (!error.final) {
      this.emit('error', error);
      this.emit('update', undefined);
      return;
    }
    this.finish('failed', false);
    this.emit('error', error);
    for (const channel of this.channels) {
      channel.fail(error);
    }
    this.channels.clear();
  }

  /** Stops the subscription (sends `unsubscribe`); the last one closes the socket. */
  close(): void {
    if (this.isOpen) {
      this.finish('closed', true);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Msg> {
    const channel: Channel<Msg> = new Channel<Msg>(() => {
      this.channels.delete(channel);
      // Breaking out of the last loop with no listener left means nobody wants the data.
      if (this.channels.size === 0 && this.listenerCount() === 0) {
        this.close();
      }
    });
    if (this.isOpen) {
      this.channels.add(channel);
    } else if (this.state === 'failed') {
      channel.fail(this.error);
    } else {
      channel.end();
    }
    return channel;
  }

  /** Hands a message to every `for await` loop. */
  protected yield(message: Msg): void {
    for (const channel of this.channels) {
      channel.push(message);
    }
  }

  /** Moves to a final state: leaves the connection and ends every loop. */
  protected finish(state: 'ended' | 'closed' | 'failed', notifyServer: boolean): void {
    clearTimeout(this.retryTimer);
    this.setState(state);
    this.host.detach(this, notifyServer);
    if (state !== 'failed') {
      for (const channel of this.channels) {
        channel.end();
      }
      this.channels.clear();
    }
  }

  private onServerError(message: ServerError): void {
    if (retryableSubscriptionErrors.has(message.code)) {
      // `unavailable`: the server closed it and asks us to come back later.
      this.fail(new LiveError(message.code, message.message, false));
      this.setState('subscribing');
      const delay = backoffDelay(this.unavailableAttempts++, this.host.retry);
      this.retryTimer = setTimeout(() => this.host.resubscribe(this), delay);
      return;
    }
    this.fail(new LiveError(message.code, message.message, true));
  }

  private setState(state: SubscriptionState): void {
    if (this.state !== state) {
      this.state = state;
      this.emit('update', undefined);
    }
  }
}

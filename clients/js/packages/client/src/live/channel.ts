/**
 * The queue behind one `for await` over a subscription: messages pushed while the consumer is
 * busy wait here (unbounded: the consumer is the app's own loop), `end` finishes the iteration
 * and `fail` makes the pending or next `next()` throw.
 */
export class Channel<T> implements AsyncIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiters: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  private done = false;
  private error: unknown;

  constructor(private readonly onReturn: () => void) {}

  push(value: T): void {
    if (this.done) {
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ value, done: false });
    } else {
      this.buffer.push(value);
    }
  }

  end(): void {
    this.finish(undefined);
  }

  fail(error: unknown): void {
    this.finish(error ?? new Error('subscription failed'));
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffer.shift();
    if (value !== undefined) {
      return Promise.resolve({ value, done: false });
    }
    if (this.done) {
      if (this.error !== undefined) {
        const error = this.error;
        this.error = undefined;
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** `break` out of the loop: stop listening. */
  return(): Promise<IteratorResult<T>> {
    this.finish(undefined);
    this.buffer.length = 0;
    this.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  private finish(error: unknown): void {
    if (this.done) {
      return;
    }
    this.done = true;
    this.error = error;
    for (const waiter of this.waiters.splice(0)) {
      if (error !== undefined) {
        this.error = undefined;
        waiter.reject(error);
      } else {
        waiter.resolve({ value: undefined, done: true });
      }
    }
  }
}

import type { CallOptions, Http } from '../http.js';
import type { Counter, CounterHistoryEntry, Page } from '../types.js';

/** Counter routes of /api/v1/counters (docs/api.md). */
export class CountersRest {
  constructor(protected readonly http: Http) {}

  create(name: string, value?: number, options: CallOptions = {}): Promise<Counter> {
    return this.http.call('counters.create', { ...options, body: { name, value } });
  }

  /** Every counter, by name. */
  query(options: CallOptions = {}): Promise<Page<Counter>> {
    return this.http.call('counters.query', { ...options });
  }

  get(name: string, options: CallOptions = {}): Promise<Counter> {
    return this.http.call('counters.get', { ...options, params: { name } });
  }

  delete(name: string, options: CallOptions = {}): Promise<void> {
    return this.http.call('counters.delete', { ...options, params: { name } });
  }

  increment(name: string, amount?: number, options: CallOptions = {}): Promise<Counter> {
    return this.http.call('counters.increment', { ...options, params: { name }, body: { amount } });
  }

  decrement(name: string, amount?: number, options: CallOptions = {}): Promise<Counter> {
    return this.http.call('counters.decrement', { ...options, params: { name }, body: { amount } });
  }

  set(name: string, value: number, options: CallOptions = {}): Promise<Counter> {
    return this.http.call('counters.set', { ...options, params: { name }, body: { value } });
  }

  reset(name: string, options: CallOptions = {}): Promise<Counter> {
    return this.http.call('counters.reset', { ...options, params: { name } });
  }

  history(name: string, query: { after?: number; limit?: number } = {}, options: CallOptions = {}): Promise<Page<CounterHistoryEntry, number>> {
    return this.http.call('counters.history', { ...options, params: { name }, query: { ...query } });
  }
}

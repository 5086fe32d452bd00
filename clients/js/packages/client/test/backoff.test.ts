import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/live/backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially from the floor with full jitter, capped at the maximum', () => {
    const top = { random: () => 0.999999 };
    const bottom = { random: () => 0 };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, top))).toEqual([999, 1499, 2499, 4499, 8499, 16499, 20000]);
    expect([0, 3, 10].map((n) => backoffDelay(n, bottom))).toEqual([500, 500, 500]);
    expect(backoffDelay(100, top)).toBe(20000);
  });

  it('is deterministic for a given random source and honours custom bounds', () => {
    let state = 42;
    const seeded = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const first = Array.from({ length: 8 }, (_, n) => backoffDelay(n, { random: seeded, minDelayMs: 100, maxDelayMs: 1000 }));
    state = 42;
    const second = Array.from({ length: 8 }, (_, n) => backoffDelay(n, { random: seeded, minDelayMs: 100, maxDelayMs: 1000 }));
    expect(first).toEqual(second);
    for (const [n, delay] of first.entries()) {
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(Math.min(1000, 100 + 100 * 2 ** n));
    }
  });
});

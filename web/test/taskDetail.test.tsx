import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PreferencesProvider } from '../src/app/preferences';
import { curlFor, shellQuote } from '../src/components/curl';
import { describeRemaining, estimateRemainingMs, progressSamples } from '../src/components/eta';
import { relativeTime, Time } from '../src/components/Time';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const at = (s: number) => Date.UTC(2026, 0, 1, 0, 0, s);

describe('ETA', () => {
  it('comes from the recent rate and counts the time since the last report', () => {
    const samples = [
      { at: at(0), progress: 10 },
      { at: at(10), progress: 20 },
    ];
    // 1 % per second, 80 % left, 5 s already spent since the last report.
    expect(estimateRemainingMs(samples, at(15))).toBe(75_000);
  });

  it('is unknown without two samples, without forward movement, or when done', () => {
    expect(estimateRemainingMs([{ at: at(0), progress: 10 }], at(1))).toBeUndefined();
    expect(estimateRemainingMs([{ at: at(0), progress: 10 }, { at: at(5), progress: 10 }], at(6))).toBeUndefined();
    expect(estimateRemainingMs([{ at: at(0), progress: 50 }, { at: at(5), progress: 100 }], at(6))).toBeUndefined();
  });

  it('judges a task by what it does now: a stall before the window does not count', () => {
    const samples = [{ at: at(0), progress: 0 }, ...Array.from({ length: 10 }, (_, i) => ({ at: at(100 + i), progress: 1 + i }))];
    // The last ten samples move 1 % per second: 90 % left → 90 s.
    expect(estimateRemainingMs(samples, at(109))).toBe(90_000);
  });

  it('reads samples from progress events only, and words the estimate', () => {
    const events = [
      { taskId: 't', seq: 1, type: 'log', message: 'a', timestamp: new Date(at(0)).toISOString() },
      { taskId: 't', seq: 2, type: 'progress', message: '', progress: 30, timestamp: new Date(at(3)).toISOString() },
    ];
    expect(progressSamples(events)).toEqual([{ at: at(3), progress: 30 }]);
    expect(describeRemaining(400)).toBe('less than a second left');
    expect(describeRemaining(40_000)).toBe('about 40 s left');
    expect(describeRemaining(180_000)).toBe('about 3 min left');
    expect(describeRemaining(3 * 3_600_000)).toBe('about 3 h left');
  });
});

describe('copy as curl', () => {
  it('names the key variable instead of the key and quotes the URL for a shell', () => {
    expect(curlFor('http://127.0.0.1:8094', '/api/v1/tasks/a%20b')).toBe(`curl -sS -H "X-API-Key: $SPECTRAL_API_KEY" 'http://127.0.0.1:8094/api/v1/tasks/a%20b'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('Time', () => {
  it('shows UTC, local or relative as the reader chose, the exact value on hover', () => {
    localStorage.setItem('spectral.preferences', JSON.stringify({ time: 'utc' }));
    render(
      <PreferencesProvider>
        <Time value="2026-01-01T10:20:30.123Z" />
      </PreferencesProvider>,
    );
    const time = screen.getByText('2026-01-01 10:20:30 UTC');
    expect(time.getAttribute('title')).toBe('2026-01-01T10:20:30.123Z');
  });

  it('words relative times both ways', () => {
    expect(relativeTime(at(0), at(180))).toMatch(/3 minutes ago/);
    expect(relativeTime(at(20), at(0))).toMatch(/in 20 seconds/);
  });
});

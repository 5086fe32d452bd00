import type { ServerStats } from '@spectralnotify/client';
import { describe, expect, it } from 'vitest';
import { chartData, coalesce, describeThroughput, formatAge, formatRate, formatWindow, windowFrom } from '../src/pages/overview/stats';
import {
  emptyFilter, filterFromSearch, filterToSearch, fromLocalInput, metadataValue, parsePairs, toListFilter, toLocalInput, toRestQuery, type TaskFilter,
} from '../src/pages/tasks/taskFilter';

describe('task filter in the URL', () => {
  const full: TaskFilter = {
    search: 'Rep & co',
    type: 'render',
    status: ['pending', 'failed'],
    metadata: [
      { key: 'team', value: 'red' },
      { key: 'a=b', value: 'x=y' },
    ],
    createdAfter: '2026-01-02T03:04:05.000Z',
    createdBefore: '2026-02-02T00:00:00.000Z',
  };

  it('round-trips every field through the query string', () => {
    const q = filterToSearch(full);
    expect(filterFromSearch(q)).toEqual({ ...full, metadata: [{ key: 'team', value: 'red' }, { key: 'a', value: 'b=x=y' }] });
    expect(filterFromSearch(`?${filterToSearch(emptyFilter)}`)).toEqual(emptyFilter);
    expect(filterToSearch(emptyFilter)).toBe('');
  });

  it('drops what it cannot read: unknown statuses, pairs without a key, instants without a zone', () => {
    const f = filterFromSearch('status=pending&status=nope&meta=novalue&meta==x&after=2026-01-02T03:04&before=yesterday');
    expect(f.status).toEqual(['pending']);
    expect(f.metadata).toEqual([]);
    expect(f.createdAfter).toBe('');
    expect(f.createdBefore).toBe('');
  });

  it('keeps statuses in one order whatever the URL says, so one filter has one URL', () => {
    expect(filterFromSearch('status=failed&status=pending').status).toEqual(['pending', 'failed']);
  });

  it('types metadata values: booleans, numbers, quoted text, else text', () => {
    expect([metadataValue('true'), metadataValue('false'), metadataValue('42'), metadataValue('-1.5e3'), metadataValue('"42"'), metadataValue('007'), metadataValue('red')]).toEqual([
      true, false, 42, -1500, '42', '007', 'red',
    ]);
    expect(parsePairs(' team=red, n=1 ,oops, =x ')).toEqual({ pairs: [{ key: 'team', value: 'red' }, { key: 'n', value: '1' }], bad: ['oops', '=x'] });
  });

  it('becomes the live list filter and the same REST query in the live order', () => {
    expect(toListFilter(full)).toEqual({
      search: 'Rep & co', type: 'render', status: ['pending', 'failed'], metadata: { team: 'red', 'a=b': 'x=y' },
      createdAfter: full.createdAfter, createdBefore: full.createdBefore,
    });
    expect(toListFilter(emptyFilter)).toEqual({});
    expect(toRestQuery({ ...emptyFilter, metadata: [{ key: 'n', value: '2' }] }, 50, 'c1')).toEqual({ metadata: { n: 2 }, order: 'updated', limit: 50, cursor: 'c1' });
  });

  it('converts datetime-local values in the reader zone to instants and back', () => {
    const iso = fromLocalInput('2026-03-04T05:06');
    expect(iso).toMatch(/Z$/);
    expect(toLocalInput(iso)).toBe('2026-03-04T05:06');
    expect(fromLocalInput('')).toBe('');
  });
});

const series = (buckets: [number, number, number][]): ServerStats['throughput'] => ({
  windowMinutes: 60, bucketSeconds: 60, from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:03:00Z',
  buckets: buckets.map(([success, failed, canceled], i) => ({ start: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), success, failed, canceled })),
  success: buckets.reduce((n, b) => n + b[0], 0), failed: buckets.reduce((n, b) => n + b[1], 0), canceled: buckets.reduce((n, b) => n + b[2], 0),
  failureRate: null,
});

describe('stats formatting', () => {
  it('ages read as people say them', () => {
    expect([formatAge(null), formatAge(0), formatAge(59.9), formatAge(60), formatAge(185), formatAge(7440), formatAge(90_000)]).toEqual([
      '—', '0 s', '59 s', '1 min', '3 min 5 s', '2 h 4 min', '1 d 1 h',
    ]);
  });

  it('rates are percent with one decimal, a dash when nothing finished', () => {
    expect([formatRate(null), formatRate(0), formatRate(1 / 3), formatRate(1)]).toEqual(['—', '0 %', '33.3 %', '100 %']);
  });

  it('windows and the URL parameter', () => {
    expect([formatWindow(15), formatWindow(60), formatWindow(360)]).toEqual(['last 15 minutes', 'last hour', 'last 6 hours']);
    expect([windowFrom('?window=15'), windowFrom('window=7'), windowFrom('')]).toEqual([15, 60, 60]);
  });

  it('chart columns: seconds, counts, and a gap in the rate where nothing finished', () => {
    const [xs, ok, bad, rate] = chartData(series([[3, 1, 0], [0, 0, 2], [0, 2, 0]]));
    expect(xs).toEqual([1767225600, 1767225660, 1767225720]);
    expect(ok).toEqual([3, 0, 0]);
    expect(bad).toEqual([1, 0, 2]);
    expect(rate).toEqual([25, null, 100]);
    expect(describeThroughput({ ...series([[3, 1, 0]]), failureRate: 0.25 })).toBe(
      'Tasks finished per 1 minute over the last hour: 3 succeeded, 1 failed, 0 canceled; failure rate 25 %.',
    );
  });
});

describe('coalesce', () => {
  it('reads at once, then at most once per interval however many triggers arrive', async () => {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const clock = { now: () => now, setTimeout: (fn: () => void, ms: number) => timers.push({ at: now + ms, fn }), clearTimeout: () => {} };
    let runs = 0;
    const c = coalesce(async () => void runs++, 1000, clock);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    c.trigger();
    expect(runs).toBe(1);
    for (let i = 0; i < 100; i++) c.trigger();
    await settle();
    expect(runs).toBe(1);
    expect(timers).toHaveLength(1);
    now = 1000;
    timers.shift()!.fn();
    expect(runs).toBe(2);
    await settle();
    c.trigger();
    expect(timers).toHaveLength(1);
    c.dispose();
    now = 3000;
    timers.shift()!.fn();
    expect(runs).toBe(2);
  });
});

import { SpectralError } from '@spectralnotify/client';
import { describe, expect, it } from 'vitest';
import { editableOf } from '../src/pages/jobs/editable';
import { problemText } from '../src/pages/jobs/problem';
import { retryable, cancelable } from '../src/pages/jobs/RunActions';
import { runFilterFromSearch, runFilterToSearch } from '../src/pages/jobs/runFilter';
import { cronInWords, intervalInWords, scheduleInWords, zoneTime } from '../src/pages/jobs/schedule';

describe('scheduleInWords', () => {
  it('says manual, interval, one-shot and cron with its time zone', () => {
    expect(scheduleInWords(null)).toBe('manual (runs only when triggered)');
    expect(scheduleInWords(undefined)).toBe('manual (runs only when triggered)');
    expect(scheduleInWords({ intervalSeconds: 300 })).toBe('every 5 minutes');
    expect(scheduleInWords({ at: '2026-12-24T18:00:00Z' })).toBe('once at 2026-12-24T18:00:00Z');
    expect(scheduleInWords({ cron: '30 9 * * 1-5', timezone: 'Europe/Berlin' })).toBe('weekdays at 09:30 (Europe/Berlin) — cron 30 9 * * 1-5');
    expect(scheduleInWords({ cron: '0 2 * * *' })).toBe('daily at 02:00 (UTC) — cron 0 2 * * *');
    // A shape without words keeps the exact expression (Quartz, with seconds first, included).
    expect(scheduleInWords({ cron: '0 0 9 ? * MON-FRI', timezone: 'America/New_York' })).toBe('cron 0 0 9 ? * MON-FRI (America/New_York)');
  });

  it('reads intervals in the largest unit that divides them', () => {
    expect(intervalInWords(1)).toBe('every 1 second');
    expect(intervalInWords(90)).toBe('every 90 seconds');
    expect(intervalInWords(60)).toBe('every 1 minute');
    expect(intervalInWords(7200)).toBe('every 2 hours');
    expect(intervalInWords(3 * 86400)).toBe('every 3 days');
    expect(intervalInWords(86400 + 60)).toBe('every 1441 minutes');
  });

  it('reads only the common crontab shapes', () => {
    expect(cronInWords('* * * * *')).toBe('every minute');
    expect(cronInWords('*/15 * * * *')).toBe('every 15 minutes');
    expect(cronInWords('5 * * * *')).toBe('every hour at minute 5');
    expect(cronInWords('0 18 * * 0,6')).toBe('weekends at 18:00');
    expect(cronInWords('0 9 1 * *')).toBeUndefined();
    expect(cronInWords('0 9 * * 2')).toBeUndefined();
    expect(cronInWords('0 9-17 * * *')).toBeUndefined();
  });
});

describe('zoneTime', () => {
  it('reads a preview time as wall-clock time with its offset, seconds only when set', () => {
    expect(zoneTime('2026-03-29T03:00:00.000+02:00')).toBe('2026-03-29 03:00 +02:00');
    expect(zoneTime('2026-03-29T03:00:15.000-05:30')).toBe('2026-03-29 03:00:15 -05:30');
    expect(zoneTime('2026-03-29T01:00:00Z')).toBe('2026-03-29 01:00 UTC');
    expect(zoneTime('not a time')).toBe('not a time');
  });
});

describe('run filter <-> URL', () => {
  it('round-trips every field in a stable order', () => {
    const filter = { state: ['pending' as const], status: ['failed' as const], queue: 'video', jobId: 'nightly report' };
    const search = runFilterToSearch(filter);
    expect(search).toBe('?state=pending&status=failed&queue=video&job=nightly+report');
    expect(runFilterFromSearch(search)).toEqual(filter);
    expect(runFilterToSearch({})).toBe('');
    expect(runFilterFromSearch('')).toEqual({});
  });

  it('drops what the live list would refuse: unknown states and statuses, blank text', () => {
    expect(runFilterFromSearch('?state=bogus&state=done&status=nope&queue=%20&job=')).toEqual({ state: ['done'] });
  });
});

describe('problemText', () => {
  it('names the title, detail, status and each field the server rejected', () => {
    const err = new SpectralError(400, { title: 'One or more validation errors occurred.', errors: { type: ['is required'], 'schedule.cron': ['is not a valid cron expression'] } }, 'jobs.create');
    expect(problemText(err)).toBe('One or more validation errors occurred. (HTTP 400)\ntype: is required\nschedule.cron: is not a valid cron expression');
    expect(problemText(new SpectralError(412, { title: 'Precondition failed', detail: 'The job is at version 3.' }, 'jobs.update'))).toBe(
      'Precondition failed: The job is at version 3. (HTTP 412)',
    );
    expect(problemText(new Error('offline'))).toBe('offline');
  });
});

describe('run actions', () => {
  it('offers retry only for ended failed or canceled runs, cancel only for unfinished ones not already asked', () => {
    expect(retryable({ state: 'done', status: 'failed' })).toBe(true);
    expect(retryable({ state: 'done', status: 'canceled' })).toBe(true);
    expect(retryable({ state: 'done', status: 'success' })).toBe(false);
    expect(retryable({ state: 'pending', status: 'pending' })).toBe(false);
    expect(cancelable({ state: 'running', cancelRequested: false })).toBe(true);
    expect(cancelable({ state: 'running', cancelRequested: true })).toBe(false);
    expect(cancelable({ state: 'done', cancelRequested: false })).toBe(false);
  });
});

describe('editableOf', () => {
  it('starts the editor with the fields a PATCH may change, leaving unset ones out', () => {
    const job = {
      id: 'j', type: 'email', payload: { to: 'a' }, queue: 'default', priority: 50, maxRetries: 3, timeoutSeconds: null, schedule: null,
      misfire: 'fireOnce' as const, uniqueKey: null, state: 'active' as const, createdBy: null, createdAt: '', updatedAt: '', deletedAt: null, version: 2, nextFireAt: null,
    };
    expect(editableOf(job)).toEqual({ type: 'email', queue: 'default', priority: 50, maxRetries: 3, schedule: null, misfire: 'fireOnce', payload: { to: 'a' } });
  });
});

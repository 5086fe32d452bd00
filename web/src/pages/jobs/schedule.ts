import type { JobSchedule } from '@spectralnotify/client';

const two = (n: string) => n.padStart(2, '0');
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const days: Record<string, string> = { '1-5': 'on weekdays', '0,6': 'on weekends', '6,0': 'on weekends', '6-7': 'on weekends' };

/** "every 90 seconds", "every 5 minutes", "every 2 hours", "every 3 days": the largest unit that divides evenly. */
export function intervalInWords(seconds: number): string {
  for (const [unit, size] of [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `every ${plural(seconds / size, unit)}`;
  }
  return `every ${plural(seconds, 'second')}`;
}

/**
 * The common crontab shapes read aloud (every minute, every N minutes, hourly, daily or on weekdays
 * at a time); anything else keeps its expression, which is exact where a paraphrase could mislead.
 */
export function cronInWords(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (dom !== '*' || month !== '*') return undefined;
  const on = dow === '*' ? '' : days[dow];
  if (on === undefined) return undefined;
  const suffix = on ? ` ${on}` : '';
  if (minute === '*' && hour === '*') return `every minute${suffix}`;
  const step = /^\*\/(\d+)$/.exec(minute);
  if (step && hour === '*') return `every ${plural(Number(step[1]), 'minute')}${suffix}`;
  if (/^\d+$/.test(minute) && hour === '*') return `every hour at minute ${Number(minute)}${suffix}`;
  if (/^\d+$/.test(minute) && /^\d+$/.test(hour)) return `${on ? on.replace(/^on /, '') : 'daily'} at ${two(hour)}:${two(minute)}`;
  return undefined;
}

/** A job's schedule in words, with the time zone a cron is evaluated in (UTC when none is named). */
export function scheduleInWords(schedule: JobSchedule | null | undefined): string {
  if (!schedule) return 'manual (runs only when triggered)';
  if ('cron' in schedule) {
    const zone = schedule.timezone || 'UTC';
    const words = cronInWords(schedule.cron);
    return words ? `${words} (${zone}) — cron ${schedule.cron}` : `cron ${schedule.cron} (${zone})`;
  }
  if ('intervalSeconds' in schedule) return intervalInWords(schedule.intervalSeconds);
  return `once at ${schedule.at}`;
}

/** A preview time as the server gives it (`2026-03-29T03:00:00.000+02:00`) read as "2026-03-29 03:00 +02:00". */
export function zoneTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return iso;
  const seconds = m[3] && m[3] !== '00' ? `:${m[3]}` : '';
  return `${m[1]} ${m[2]}${seconds} ${m[4] === 'Z' ? 'UTC' : m[4]}`;
}

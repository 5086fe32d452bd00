import { useEffect, useState } from 'react';
import { usePreferences } from '../app/preferences';

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago" / "in 20 seconds". */
export function relativeTime(ms: number, now: number): string {
  const diff = ms - now;
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size || unit === 'second') return relative.format(Math.round(diff / size), unit);
  }
  return '';
}

/** A ticking clock for relative times, only while one is shown. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** A UTC timestamp shown as the reader chose (local, UTC or relative); the exact value on hover. */
export function Time({ value }: { value: string | null | undefined }) {
  const { prefs } = usePreferences();
  const now = useNow(prefs.time === 'relative' && !!value);
  if (!value) return <span className="muted">—</span>;
  const date = new Date(value);
  const text =
    prefs.time === 'utc'
      ? date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
      : prefs.time === 'relative'
        ? relativeTime(date.getTime(), now)
        : date.toLocaleString();
  return (
    <time dateTime={value} title={value}>
      {text}
    </time>
  );
}

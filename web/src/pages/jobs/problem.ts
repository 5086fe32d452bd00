import { SpectralError } from '@spectralnotify/client';

/**
 * A failed call in words a person can act on: the server's problem title and detail, then each
 * field it names (`schedule.cron: …`), so a rejected JSON body says what to fix.
 */
export function problemText(err: unknown): string {
  if (!(err instanceof SpectralError)) return err instanceof Error ? err.message : String(err);
  const { title, detail, errors } = err.problem;
  const head = [title, detail].filter((s, i, all) => s && all.indexOf(s) === i).join(': ') || `HTTP ${err.status}`;
  const fields = Object.entries(errors ?? {}).map(([field, messages]) => `${field}: ${messages.join('; ')}`);
  return [`${head} (HTTP ${err.status})`, ...fields].join('\n');
}

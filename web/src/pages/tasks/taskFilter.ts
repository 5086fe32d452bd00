import type { ListFilter, TaskQuery, TaskStatus } from '@spectralnotify/client';

export const statuses: TaskStatus[] = ['pending', 'in-progress', 'success', 'failed', 'canceled'];

/**
 * The Tasks page's filter as the URL carries it: `q` (id prefix or title, the server's `search`),
 * `type`, `status` (repeated), `meta` (repeated `key=value`), `after` / `before` (ISO instants of
 * createdAt, exclusive). Reload and shared links keep it.
 */
export interface TaskFilter {
  search: string;
  type: string;
  status: TaskStatus[];
  metadata: { key: string; value: string }[];
  createdAfter: string;
  createdBefore: string;
}

export const emptyFilter: TaskFilter = { search: '', type: '', status: [], metadata: [], createdAfter: '', createdBefore: '' };

const isInstant = (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s));

/** Reads the filter from a query string (with or without `?`); what it cannot read is dropped. */
export function filterFromSearch(search: string): TaskFilter {
  const q = new URLSearchParams(search);
  const after = q.get('after') ?? '';
  const before = q.get('before') ?? '';
  return {
    search: q.get('q') ?? '',
    type: q.get('type') ?? '',
    status: statuses.filter((s) => q.getAll('status').includes(s)),
    metadata: q
      .getAll('meta')
      .map(parsePair)
      .filter((p): p is { key: string; value: string } => p !== undefined),
    createdAfter: isInstant(after) ? after : '',
    createdBefore: isInstant(before) ? before : '',
  };
}

/** The query string (without `?`) for a filter; empty fields are left out, so `filterFromSearch` gives it back. */
export function filterToSearch(f: TaskFilter): string {
  const q = new URLSearchParams();
  if (f.search) q.set('q', f.search);
  if (f.type) q.set('type', f.type);
  for (const s of f.status) q.append('status', s);
  for (const m of f.metadata) q.append('meta', `${m.key}=${m.value}`);
  if (f.createdAfter) q.set('after', f.createdAfter);
  if (f.createdBefore) q.set('before', f.createdBefore);
  return q.toString();
}

/** `key=value` (split at the first `=`; the key must not be empty). */
export function parsePair(text: string): { key: string; value: string } | undefined {
  const at = text.indexOf('=');
  if (at <= 0) return undefined;
  return { key: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
}

/** The metadata field's text, `team=red, env=prod`, as pairs; the parts that are not `key=value`. */
export function parsePairs(text: string): { pairs: { key: string; value: string }[]; bad: string[] } {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const pairs = parts.map(parsePair);
  return { pairs: pairs.filter((p): p is { key: string; value: string } => p !== undefined), bad: parts.filter((_, i) => !pairs[i]) };
}

/** What a typed value means: `true` / `false` are booleans, a JSON number is a number, `"…"` forces text, the rest is text. */
export function metadataValue(raw: string): string | number | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1);
  return raw;
}

/** The live list filter (protocol v2) for the filter. */
export function toListFilter(f: TaskFilter): Omit<ListFilter, 'state' | 'queue' | 'jobId'> {
  return {
    ...(f.search ? { search: f.search } : {}),
    ...(f.type ? { type: f.type } : {}),
    ...(f.status.length ? { status: f.status } : {}),
    ...(f.metadata.length ? { metadata: Object.fromEntries(f.metadata.map((m) => [m.key, metadataValue(m.value)])) } : {}),
    ...(f.createdAfter ? { createdAfter: f.createdAfter } : {}),
    ...(f.createdBefore ? { createdBefore: f.createdBefore } : {}),
  };
}

/** The same filter for `GET /api/v1/tasks`, in the live list's order (newest updatedAt first). */
export function toRestQuery(f: TaskFilter, limit: number, cursor?: string): TaskQuery {
  const { status, ...rest } = toListFilter(f);
  return { ...rest, ...(status ? { status: status as TaskStatus[] } : {}), order: 'updated', limit, ...(cursor ? { cursor } : {}) };
}

/** An ISO instant as a `datetime-local` value in the reader's zone (what the input shows). */
export function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (the reader's zone) as an ISO instant; '' for ''. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

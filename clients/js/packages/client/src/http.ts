import { TokenSource, type Credentials } from './auth.js';
import { NetworkError, parseRetryAfter, SpectralError, type ProblemDetails } from './errors.js';
import { resolveRoute, type RouteName } from './routes.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

export interface CallOptions {
  /** Replays the first answer for 24 h instead of writing twice (POST routes; docs/api.md). */
  idempotencyKey?: string;
  /** `"<version>"` or the bare version: the write fails with 412 when the entity changed. */
  ifMatch?: string | number;
  signal?: AbortSignal;
}

export interface Request extends CallOptions {
  params?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

/** REST over fetch: one route from routes.json per call, problem details thrown as SpectralError. */
export class Http {
  private readonly tokens: TokenSource | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly credentials: Credentials,
    private readonly fetchImpl: FetchLike,
  ) {
    this.tokens = credentials.getToken ? new TokenSource(credentials.getToken) : undefined;
  }

  /** The token source shared with the live connection (undefined with an API key). */
  get tokenSource(): TokenSource | undefined {
    return this.tokens;
  }

  url(name: RouteName, params?: Record<string, string>, query?: Record<string, QueryValue>): string {
    return this.baseUrl + resolveRoute(name, params).path + queryString(query);
  }

  async call<T>(name: RouteName, request: Request = {}): Promise<T> {
    const { method } = resolveRoute(name, request.params);
    const url = this.url(name, request.params, request.query);
    let response = await this.exchange(name, method, url, request, false);
    if (response.status === 401 && this.tokens) {
      response = await this.exchange(name, method, url, request, true);
    }
    if (!response.ok) {
      throw new SpectralError(response.status, problemOf(response), name, parseRetryAfter(response.retryAfter));
    }
    if (response.status === 204 || !response.text) {
      return undefined as T;
    }
    return JSON.parse(response.text) as T;
  }

  /**
   * One request with its whole body read: a failure to connect and a connection broken mid-body
   * both become NetworkError (a body cut short is otherwise a bare `TypeError: terminated` from the
   * stream, easily mistaken for a bug). The caller's own abort stays an AbortError.
   */
  private async exchange(name: RouteName, method: string, url: string, request: Request, freshToken: boolean): Promise<Answer> {
    try {
      const response = await this.send(method, url, request, freshToken);
      return { status: response.status, ok: response.ok, statusText: response.statusText, retryAfter: response.headers.get('Retry-After'), text: await response.text() };
    } catch (error) {
      if (request.signal?.aborted) {
        throw error;
      }
      throw new NetworkError(name, error);
    }
  }

  private async send(method: string, url: string, request: Request, freshToken: boolean): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.credentials.apiKey !== undefined) {
      headers['X-API-Key'] = this.credentials.apiKey;
    } else if (this.tokens) {
      headers.Authorization = `Bearer ${freshToken ? await this.tokens.refresh() : await this.tokens.get()}`;
    }
    if (request.idempotencyKey !== undefined) {
      headers['Idempotency-Key'] = request.idempotencyKey;
    }
    if (request.ifMatch !== undefined) {
      const tag = String(request.ifMatch);
      headers['If-Match'] = tag.startsWith('"') ? tag : `"${tag}"`;
    }
    const init: RequestInit = { method, headers };
    if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(request.body);
    }
    if (request.signal) {
      init.signal = request.signal;
    }
    return this.fetchImpl(url, init);
  }
}

export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) {
    return '';
  }
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) {
      continue;
    }
    for (const one of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(one))}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A response read to its end. */
interface Answer {
  status: number;
  ok: boolean;
  statusText: string;
  retryAfter: string | null;
  text: string;
}

function problemOf(response: Answer): ProblemDetails {
  const text = response.text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return { status: response.status, ...(parsed as ProblemDetails) };
    }
  } catch {
    // Not JSON (a proxy's HTML page): keep the text as the detail.
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}`, detail: text || null };
}

/** RFC 9457 problem details as the server sends them (`errors` names the fields at fault). */
export interface ProblemDetails {
  type?: string | null;
  title?: string | null;
  status?: number | null;
  detail?: string | null;
  instance?: string | null;
  errors?: Record<string, string[]>;
  [extension: string]: unknown;
}

/** A REST call the server answered with a non-2xx status. */
export class SpectralError extends Error {
  override readonly name = 'SpectralError';
  readonly status: number;
  readonly problem: ProblemDetails;
  /** The routes.json name of the call, e.g. `tasks.progress`. */
  readonly route: string;
  /**
   * From the answer's `Retry-After`, when it had one: the server asks for the same request again
   * after this long (a 503 while it starts, a 409 while the first request with the same
   * Idempotency-Key is still running, a 429).
   */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, problem: ProblemDetails, route: string, retryAfterMs?: number) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.route = route;
    this.retryAfterMs = retryAfterMs;
  }
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1_000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A REST call that got no complete answer: the server could not be reached, or the connection broke
 * before the whole response arrived (a server killed mid-answer). Whether a write took effect is
 * unknown, so retry it with the same `idempotencyKey`: the server answers a repeated key from the
 * first time instead of writing twice. `cause` is the underlying fetch or stream error.
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  /** The routes.json name of the call, e.g. `tasks.progress`. */
  readonly route: string;

  constructor(route: string, cause: unknown) {
    super(`${route}: no complete answer from the server (${reasonOf(cause)})`, { cause });
    this.route = route;
  }
}

/** The innermost useful reason: undici wraps socket errors as `TypeError('fetch failed', { cause })`. */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * A live failure: a subscription refused by the server (`code` is the protocol's error code, e.g.
 * `forbidden`, `invalid-filter`), or the connection refused for good (`code` `http-<status>`,
 * `unauthorized`) or failing to come up (`handshake-failed`, not final: the client keeps trying).
 */
export class LiveError extends Error {
  override readonly name = 'LiveError';
  readonly code: string;
  /** True when nothing will be retried: the subscription (or every one, for the connection) is closed. */
  readonly final: boolean;

  constructor(code: string, message: string, final: boolean) {
    super(message);
    this.code = code;
    this.final = final;
  }
}

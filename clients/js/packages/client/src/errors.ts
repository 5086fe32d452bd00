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

  constructor(status: number, problem: ProblemDetails, route: string) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.route = route;
  }
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

/**
 * Where credentials come from: a fixed API key, a token source the SDK calls when it needs one, or
 * (browsers on the server's own origin, such as its dashboard) the HttpOnly session cookie the
 * browser sends by itself, so no script ever holds a secret.
 */
export type Credentials =
  | { apiKey: string; getToken?: undefined; cookie?: undefined }
  | { getToken: () => Promise<string> | string; apiKey?: undefined; cookie?: undefined }
  | { cookie: true; apiKey?: undefined; getToken?: undefined };

/**
 * Holds the current token. REST calls reuse it and refresh once on a 401; the live connection
 * refreshes before every connect, because a reconnect is exactly when a cached token is most
 * likely stale (a tab woken after an hour; supabase/realtime-js#123).
 */
export class TokenSource {
  private current: string | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly getToken: () => Promise<string> | string) {}

  async get(): Promise<string> {
    return this.current ?? this.refresh();
  }

  /** Calls getToken once even if several callers ask at the same time. */
  refresh(): Promise<string> {
    this.pending ??= Promise.resolve()
      .then(() => this.getToken())
      .then(
        (token) => {
          this.current = token;
          this.pending = undefined;
          return token;
        },
        (error: unknown) => {
          this.pending = undefined;
          throw error;
        },
      );
    return this.pending;
  }
}

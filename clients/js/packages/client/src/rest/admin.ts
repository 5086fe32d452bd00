import type { CallOptions, Http } from '../http.js';
import type { ApiKeyInfo, ConfigEntry, ConfigType, CreatedApiKey, Json, Page, Scope, ServerStats, Session, TokenGrant } from '../types.js';

/** Live connections (admin). */
export class SessionsRest {
  constructor(private readonly http: Http) {}

  query(query: { active?: boolean; limit?: number } = {}, options: CallOptions = {}): Promise<Page<Session>> {
    return this.http.call('sessions.query', { ...options, query: { ...query } });
  }
}

/** The server's summary (what the dashboard's Overview shows); any key that may list tasks. */
export class StatsRest {
  constructor(private readonly http: Http) {}

  /** `window`: the throughput window in minutes, 1–1440 (server default 60). */
  get(query: { window?: number } = {}, options: CallOptions = {}): Promise<ServerStats> {
    return this.http.call('stats.get', { ...options, query: { ...query } });
  }
}

/** Typed settings (admin); secret values come back as null. */
export class ConfigRest {
  constructor(private readonly http: Http) {}

  query(options: CallOptions = {}): Promise<Page<ConfigEntry>> {
    return this.http.call('config.query', { ...options });
  }

  get(key: string, options: CallOptions = {}): Promise<ConfigEntry> {
    return this.http.call('config.get', { ...options, params: { key } });
  }

  put(key: string, body: { type: ConfigType; value: Json; description?: string; isSecret?: boolean }, options: CallOptions = {}): Promise<ConfigEntry> {
    return this.http.call('config.put', { ...options, params: { key }, body });
  }

  delete(key: string, options: CallOptions = {}): Promise<void> {
    return this.http.call('config.delete', { ...options, params: { key } });
  }
}

/** Managed API keys (admin). */
export class KeysRest {
  constructor(private readonly http: Http) {}

  create(body: { name: string; scopes: Scope[]; expiresAt?: string; ttlSeconds?: number }, options: CallOptions = {}): Promise<CreatedApiKey> {
    return this.http.call('keys.create', { ...options, body });
  }

  query(options: CallOptions = {}): Promise<Page<ApiKeyInfo>> {
    return this.http.call('keys.query', { ...options });
  }

  revoke(id: string, options: CallOptions = {}): Promise<void> {
    return this.http.call('keys.revoke', { ...options, params: { id } });
  }
}

/** Short-lived scoped tokens for browsers (docs/security.md#tokens). */
export class TokensRest {
  constructor(private readonly http: Http) {}

  /** E.g. `mint(['read:tasks:encode-42'], 900)`. */
  mint(scopes: string[], ttlSeconds?: number, options: CallOptions = {}): Promise<TokenGrant> {
    return this.http.call('tokens.mint', { ...options, body: { scopes, ttlSeconds } });
  }

  /** Admin: start signing with a new key; earlier tokens stay valid. */
  rotate(options: CallOptions = {}): Promise<{ kid: string; createdAt: string }> {
    return this.http.call('tokens.rotate', { ...options });
  }
}

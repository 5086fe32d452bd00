import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A fresh, empty database for one server: `setting` is its SPECTRAL_DATABASE. */
export interface Database {
  setting: string;
  drop(): Promise<void>;
}

export interface Engine {
  name: 'sqlite' | 'postgres';
  /** Why this engine's tests are skipped here (never in CI: there a missing engine fails). */
  skip: string | undefined;
  createDatabase(): Promise<Database>;
}

const run = promisify(execFile);

const sqlite: Engine = {
  name: 'sqlite',
  skip: undefined,
  async createDatabase() {
    const folder = mkdtempSync(join(tmpdir(), 'spectral-e2e-'));
    return {
      setting: `sqlite:${join(folder, 'spectral.db')}`,
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  },
};

/**
 * PostgreSQL from SPECTRAL_TEST_PG (the Npgsql connection string scripts/pg-start.sh prints): a
 * new database per server, created and dropped with psql, so runs never see each other's rows.
 */
const postgres: Engine = {
  name: 'postgres',
  skip: postgresSkipReason(),
  async createDatabase() {
    const raw = process.env.SPECTRAL_TEST_PG;
    if (!raw) {
      throw new Error('CI=true but SPECTRAL_TEST_PG is not set: the PostgreSQL e2e tests must run in CI (scripts/test.sh exports it).');
    }
    const parts = parseConnectionString(raw);
    const name = `spectral_e2e_${randomBytes(6).toString('hex')}`;
    await psql(parts, `CREATE DATABASE ${name}`);
    return {
      setting: withDatabase(raw, name),
      drop: () => psql(parts, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  },
};

export const engines: Engine[] = [sqlite, postgres];

function postgresSkipReason(): string | undefined {
  if (process.env.SPECTRAL_TEST_PG || process.env.CI === 'true') {
    return undefined;
  }
  const reason = 'SPECTRAL_TEST_PG is not set: PostgreSQL e2e tests skipped (start one with scripts/pg-start.sh and export its output)';
  console.warn(reason);
  return reason;
}

type Parts = Record<string, string>;

/** `Host=…;Port=…;Username=…;Password=…;Database=…` with keys in any case. */
function parseConnectionString(raw: string): Parts {
  const parts: Parts = {};
  for (const pair of raw.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) parts[pair.slice(0, at).trim().toLowerCase()] = pair.slice(at + 1).trim();
  }
  return parts;
}

function withDatabase(raw: string, name: string): string {
  const kept = raw.split(';').filter((pair) => pair.trim() && !/^\s*database\s*=/i.test(pair));
  return [...kept, `Database=${name}`].join(';');
}

async function psql(parts: Parts, sql: string): Promise<void> {
  const args = ['-v', 'ON_ERROR_STOP=1', '-q', '-c', sql];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: parts.host ?? parts.server ?? '127.0.0.1',
    PGPORT: parts.port ?? '5432',
    PGUSER: parts.username ?? parts['user id'] ?? parts.user ?? 'postgres',
    PGDATABASE: parts.database ?? 'postgres',
  };
  if (parts.password) env.PGPASSWORD = parts.password;
  try {
    await run('psql', args, { env });
  } catch (error) {
    const e = error as { stderr?: string; code?: string; message: string };
    const why = e.code === 'ENOENT' ? 'psql is not installed (apt-get install postgresql-client)' : (e.stderr || e.message).trim();
    throw new Error(`psql ${JSON.stringify(sql)} failed: ${why}`);
  }
}

import type { ApiKeyInfo, CreatedApiKey, Scope, TokenGrant } from '@spectralnotify/client';
import { useSpectralClient } from '@spectralnotify/react';
import { useCallback, useState } from 'react';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorAlert } from '../components/ErrorAlert';
import { SecretOnce } from '../components/SecretOnce';
import { Time } from '../components/Time';
import { useAction } from '../components/useAction';
import { useLoad } from '../components/useLoad';
import { splitScopes } from './tokenScopes';
import './Keys.css';

const lifetimes: { label: string; seconds?: number }[] = [
  { label: 'never' },
  { label: '1 day', seconds: 86_400 },
  { label: '30 days', seconds: 2_592_000 },
  { label: '1 year', seconds: 31_536_000 },
];

/** Keys and tokens (admin only; the route is mounted for admin keys only). */
export function Keys() {
  const client = useSpectralClient();
  const { data: keys, error, reload: load } = useLoad(useCallback(() => client.keys.query().then((page) => page.data), [client]));

  return (
    <section>
      <h1>Keys and tokens</h1>
      <h2>API keys</h2>
      <p className="muted">Keys from configuration are listed too; they can only be removed from configuration.</p>
      <ErrorAlert message={error} />
      {keys === undefined ? !error && <p className="muted">Loading…</p> : <KeyTable keys={keys} onRevoked={load} />}
      <CreateKey onCreated={load} />
      <MintToken />
      <RotateSigningKey />
    </section>
  );
}

function KeyTable({ keys, onRevoked }: { keys: ApiKeyInfo[]; onRevoked: () => void }) {
  const client = useSpectralClient();
  const action = useAction();
  return (
    <>
      <div className="table-scroll" tabIndex={0}>
        <table className="list" aria-label="API keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scopes</th>
              <th scope="col">Source</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-key-name={k.name}>
                <td>{k.name}</td>
                <td>{k.scopes.join(', ')}</td>
                <td>{k.source}</td>
                <td>
                  <Time value={k.createdAt} />
                </td>
                <td>{k.expiresAt ? <Time value={k.expiresAt} /> : <span className="muted">never</span>}</td>
                <td>
                  <Time value={k.lastUsedAt} />
                </td>
                <td data-testid="key-state">{k.revokedAt ? <>revoked <Time value={k.revokedAt} /></> : 'active'}</td>
                <td>
                  {k.source === 'database' && !k.revokedAt && (
                    <ConfirmButton
                      label="Revoke"
                      confirmLabel="Revoke key"
                      question={`Revoke ${k.name}? Every call and session with it is refused from now on.`}
                      disabled={action.busy}
                      onConfirm={async () => {
                        if (await action.run(() => client.keys.revoke(k.id))) onRevoked();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorAlert message={action.error} />
    </>
  );
}

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const client = useSpectralClient();
  const action = useAction();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('read');
  const [lifetime, setLifetime] = useState(0);
  const [created, setCreated] = useState<CreatedApiKey>();
  return (
    <>
      <h2>Create a key</h2>
      <form
        className="filters"
        aria-label="Create a key"
        onSubmit={async (e) => {
          e.preventDefault();
          const ttlSeconds = lifetimes[lifetime]?.seconds;
          await action.run(async () => {
            setCreated(await client.keys.create({ name: name.trim(), scopes: [scope], ...(ttlSeconds ? { ttlSeconds } : {}) }));
            setName('');
            onCreated();
          });
        }}
      >
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Scope
          {/* admin ⊇ write ⊇ read: one choice says it all. */}
          <select value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
            <option value="read">read</option>
            <option value="write">write (and read)</option>
            <option value="admin">admin (everything)</option>
          </select>
        </label>
        <label>
          Expires
          <select value={lifetime} onChange={(e) => setLifetime(Number(e.target.value))}>
            {lifetimes.map((l, i) => (
              <option key={l.label} value={i}>
                {l.label === 'never' ? 'never' : `after ${l.label}`}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={action.busy}>
          Create key
        </button>
      </form>
      <ErrorAlert message={action.error} />
      {created && (
        <SecretOnce label={`Secret of key ${created.name}`} value={created.key} onDone={() => setCreated(undefined)}>
          <p className="muted">
            Scopes {created.scopes.join(', ')}; {created.expiresAt ? <>expires <Time value={created.expiresAt} /></> : 'never expires'}.
          </p>
        </SecretOnce>
      )}
    </>
  );
}

function MintToken() {
  const client = useSpectralClient();
  const action = useAction();
  const [scopes, setScopes] = useState('');
  const [ttl, setTtl] = useState('900');
  const [grant, setGrant] = useState<TokenGrant>();
  return (
    <>
      <h2>Mint a browser token</h2>
      <p className="muted">
        A short-lived token for a browser or app, e.g. <code>read:tasks:encode-42</code> or <code>read:workflows:*</code> (docs/security.md, "Tokens").
      </p>
      <form
        className="filters"
        aria-label="Mint a browser token"
        onSubmit={async (e) => {
          e.preventDefault();
          await action.run(async () => setGrant(await client.tokens.mint(splitScopes(scopes), ttl.trim() === '' ? undefined : Number(ttl))));
        }}
      >
        <label className="wide">
          Token scopes
          <input value={scopes} onChange={(e) => setScopes(e.target.value)} required placeholder="read:tasks:encode-42 read:counters:*" />
        </label>
        <label>
          Lifetime (seconds)
          <input type="number" min={1} max={86_400} value={ttl} onChange={(e) => setTtl(e.target.value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Mint token
        </button>
      </form>
      <ErrorAlert message={action.error} />
      {grant && (
        <SecretOnce label="Token" value={grant.token} onDone={() => setGrant(undefined)}>
          <p className="muted">
            Scopes {grant.scopes.join(', ')}; expires <Time value={grant.expiresAt} />.
          </p>
        </SecretOnce>
      )}
    </>
  );
}

function RotateSigningKey() {
  const client = useSpectralClient();
  const action = useAction();
  const [rotated, setRotated] = useState<{ kid: string; createdAt: string }>();
  return (
    <>
      <h2>Token signing key</h2>
      <p className="muted">
        Rotating starts signing new tokens (and dashboard sessions) with a new key; tokens signed earlier stay valid until they expire. The key also rotates by
        itself every 7 days.
      </p>
      <ConfirmButton
        label="Rotate signing key"
        question="Start signing with a new key?"
        confirmLabel="Rotate"
        disabled={action.busy}
        onConfirm={() => action.run(async () => setRotated(await client.tokens.rotate()))}
      />
      {rotated && (
        <p role="status">
          Now signing with key <code>{rotated.kid}</code> (since <Time value={rotated.createdAt} />).
        </p>
      )}
      <ErrorAlert message={action.error} />
    </>
  );
}

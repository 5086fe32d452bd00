import type { Counter } from '@spectralnotify/client';
import { useCounter, useSpectralClient } from '@spectralnotify/react';
import { useCallback, useEffect, useId, useState } from 'react';
import { can } from '../app/session';
import { useSession } from '../app/sessionContext';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorAlert } from '../components/ErrorAlert';
import { Time } from '../components/Time';
import { useAction } from '../components/useAction';
import { useLoad } from '../components/useLoad';
import { Sparkline, type Point } from './Sparkline';
import './Counters.css';

/** How many recent values each counter's sparkline shows. */
const historyLength = 20;

/**
 * Counters: the list is read once by REST (there is no live list of counters), each counter is then
 * its own live subscription, so values move without a reload; a counter created later shows after
 * "Reload list".
 */
export function Counters() {
  const session = useSession();
  const client = useSpectralClient();
  const { data: counters, error, reload: load } = useLoad(useCallback(() => client.counters.query().then((page) => page.data), [client]));

  return (
    <section>
      <h1>Counters</h1>
      <p className="muted">
        Each value below is live. The list itself is read when the page opens: <button onClick={load}>Reload list</button>
      </p>
      {can(session, 'write') && <CreateCounter onCreated={load} />}
      <ErrorAlert message={error} />
      {counters === undefined ? (
        !error && <p className="muted">Loading…</p>
      ) : counters.length === 0 ? (
        <p className="muted">No counters yet.</p>
      ) : (
        <div className="counter-grid">
          {counters.map((c) => (
            <CounterCard key={c.name} initial={c} canWrite={can(session, 'write')} />
          ))}
        </div>
      )}
    </section>
  );
}

function CreateCounter({ onCreated }: { onCreated: () => void }) {
  const client = useSpectralClient();
  const action = useAction();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  return (
    <form
      className="filters"
      aria-label="Create a counter"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await action.run(() => client.counters.create(name.trim(), value === '' ? undefined : Number(value)))) {
          setName('');
          setValue('');
          onCreated();
        }
      }}
    >
      <label>
        New counter
        <input value={name} onChange={(e) => setName(e.target.value)} required pattern="[A-Za-z0-9_\-]{1,100}" title="1–100 characters of A-Z a-z 0-9 _ -" />
      </label>
      <label>
        Starting value
        <input type="number" step="any" value={value} onChange={(e) => setValue(e.target.value)} placeholder="0" />
      </label>
      <button type="submit" disabled={action.busy}>
        Create
      </button>
      <ErrorAlert message={action.error} inline />
    </form>
  );
}

/** One counter, live, with its recent values and (for write keys) the operations. */
function CounterCard({ initial, canWrite }: { initial: Counter; canWrite: boolean }) {
  const client = useSpectralClient();
  const live = useCounter(initial.name);
  const counter = live.data === undefined ? initial : live.data;
  const points = useRecentValues(initial, counter ?? initial);
  const headingId = useId();

  if (counter === null) {
    return (
      <article className="counter-card" aria-labelledby={headingId} data-counter={initial.name}>
        <h2 id={headingId}>{initial.name}</h2>
        <p className="muted">Deleted.</p>
      </article>
    );
  }
  return (
    <article className="counter-card" aria-labelledby={headingId} data-counter={counter.name}>
      <h2 id={headingId}>{counter.name}</h2>
      <p className="counter-value" data-testid={`counter-value-${counter.name}`} aria-live="polite">
        {counter.value}
      </p>
      <Sparkline points={points} label={`Recent values of ${counter.name}`} />
      <p className="muted counter-meta">
        {counter.operationCount} operations · updated <Time value={counter.updatedAt} />
      </p>
      {canWrite && <CounterControls name={counter.name} client={client} />}
    </article>
  );
}

/**
 * The counter's last values: its history read once (the last `historyLength` entries), then every
 * value the live subscription brings, kept by seq, so the sparkline never asks the server again.
 */
function useRecentValues(initial: Counter, current: Counter): Point[] {
  const client = useSpectralClient();
  const [points, setPoints] = useState<Point[]>([{ seq: initial.lastSeq, value: initial.value }]);
  useEffect(() => {
    let stale = false;
    client.counters.history(initial.name, { after: Math.max(0, initial.lastSeq - historyLength), limit: historyLength }).then(
      (page) => !stale && setPoints((seen) => merge(seen, page.data.map((e) => ({ seq: e.seq, value: e.newValue })))),
      () => undefined, // the sparkline is a nicety: the live value still shows
    );
    return () => {
      stale = true;
    };
  }, [client, initial.name, initial.lastSeq]);
  const { lastSeq, value } = current;
  useEffect(() => setPoints((seen) => merge(seen, [{ seq: lastSeq, value }])), [lastSeq, value]);
  return points;
}

const merge = (a: Point[], b: Point[]): Point[] => {
  const bySeq = new Map([...a, ...b].map((p) => [p.seq, p]));
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq).slice(-historyLength);
};

function CounterControls({ name, client }: { name: string; client: ReturnType<typeof useSpectralClient> }) {
  const action = useAction();
  const [amount, setAmount] = useState('1');
  const number = amount.trim() === '' ? undefined : Number(amount);
  const valid = number !== undefined && Number.isFinite(number);
  return (
    <div className="counter-controls">
      <label>
        Amount or value
        <input type="number" step="any" value={amount} onChange={(e) => setAmount(e.target.value)} aria-label={`Amount or value for ${name}`} />
      </label>
      <div className="actions">
        <button type="button" disabled={action.busy || !valid} onClick={() => action.run(() => client.counters.increment(name, number))}>
          Increment
        </button>
        <button type="button" disabled={action.busy || !valid} onClick={() => action.run(() => client.counters.decrement(name, number))}>
          Decrement
        </button>
        <button type="button" disabled={action.busy || !valid} onClick={() => action.run(() => client.counters.set(name, number!))}>
          Set
        </button>
        <ConfirmButton label="Reset" confirmLabel="Reset to 0" question={`Reset ${name} to 0?`} disabled={action.busy} onConfirm={() => action.run(() => client.counters.reset(name))} />
      </div>
      <ErrorAlert message={action.error} />
    </div>
  );
}

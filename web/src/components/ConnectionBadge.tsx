import { useSpectralClient } from '@spectralnotify/react';
import { useEffect, useState } from 'react';

/** The live connection's state in words: "live", "reconnecting in 3 s", "offline". */
export function ConnectionBadge() {
  const client = useSpectralClient();
  const [state, setState] = useState({ state: client.connection.state, retryMs: client.connection.nextRetryDelayMs });
  const [now, setNow] = useState(() => Date.now());
  const [since, setSince] = useState(() => Date.now());
  useEffect(
    () =>
      client.connection.on('state', (e) => {
        setState({ state: e.state, retryMs: e.nextRetryDelayMs });
        setSince(Date.now());
      }),
    [client],
  );
  useEffect(() => {
    if (state.state !== 'reconnecting') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [state.state]);
  const text =
    state.state === 'open'
      ? 'live'
      : state.state === 'reconnecting'
        ? `reconnecting${state.retryMs !== undefined ? ` in ${Math.max(0, Math.ceil((since + state.retryMs - now) / 1000))} s` : ''}`
        : state.state === 'closed'
          ? 'offline'
          : state.state === 'connecting'
            ? 'connecting'
            : 'idle';
  return (
    <span className={`badge connection-${state.state}`} role="status" aria-live="polite" data-testid="connection">
      {text}
    </span>
  );
}

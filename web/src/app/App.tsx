import { createClient } from '@spectralnotify/client';
import { SpectralProvider } from '@spectralnotify/react';
import { useEffect, useMemo, useState } from 'react';
import { Link, Redirect, Route, Router, Switch } from 'wouter';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { TaskDetail } from '../pages/TaskDetail';
import { Tasks } from '../pages/Tasks';
import { SignIn } from '../pages/SignIn';
import { currentSession, renew, signOut, type Session } from './session';

/** Signed out: the sign-in page. Signed in: the app over one client that rides the session cookie. */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    currentSession().then(setSession, () => setSession(null));
  }, []);

  // Renew the cookie at half-life while the tab is open; a refused renewal signs out.
  useEffect(() => {
    if (!session) return;
    const remaining = new Date(session.expiresAt).getTime() - Date.now();
    const timer = setTimeout(() => renew().then(setSession, () => undefined), Math.max(5_000, remaining / 2));
    return () => clearTimeout(timer);
  }, [session]);

  if (session === undefined) return <p className="muted">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={setSession} />;
  return (
    <SignedIn
      session={session}
      onSignOut={async () => {
        await signOut();
        setSession(null);
      }}
    />
  );
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const client = useMemo(() => createClient({ url: window.location.origin, cookie: true }), []);
  useEffect(() => () => client.close(), [client]);
  return (
    <SpectralProvider client={client}>
      <Router base="/ui">
        <header className="top">
          <strong>SpectralNotify</strong>
          <nav aria-label="Main">
            <Link href="/tasks">Tasks</Link>
          </nav>
          <ConnectionBadge />
          <span className="who">
            {session.keyName} ({session.scopes[0]})
          </span>
          <button onClick={onSignOut}>Sign out</button>
        </header>
        <main>
          <Switch>
            <Route path="/tasks" component={Tasks} />
            <Route path="/tasks/:id">{(params) => <TaskDetail id={decodeURIComponent(params.id)} session={session} />}</Route>
            <Route>
              <Redirect to="/tasks" replace />
            </Route>
          </Switch>
        </main>
      </Router>
    </SpectralProvider>
  );
}

import { createClient } from '@spectralnotify/client';
import { SpectralProvider } from '@spectralnotify/react';
import { useEffect, useMemo, useState } from 'react';
import { Redirect, Route, Router, Switch } from 'wouter';
import { SignIn } from '../pages/SignIn';
import { Counters } from '../pages/Counters';
import { JobDetail } from '../pages/JobDetail';
import { Jobs } from '../pages/Jobs';
import { Keys } from '../pages/Keys';
import { Overview } from '../pages/Overview';
import { RunDetail } from '../pages/RunDetail';
import { Runs } from '../pages/Runs';
import { Sessions } from '../pages/Sessions';
import { TaskDetail } from '../pages/TaskDetail';
import { Tasks } from '../pages/Tasks';
import { WorkflowDetail } from '../pages/WorkflowDetail';
import { Workflows } from '../pages/Workflows';
import { Header } from './Header';
import { PreferencesProvider, usePreferences } from './preferences';
import { currentSession, renew, signOut, type Session } from './session';
import { SessionContext } from './sessionContext';

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

  return (
    <PreferencesProvider>
      {session === undefined ? (
        <p className="muted">Loading…</p>
      ) : session === null ? (
        <SignIn onSignedIn={setSession} />
      ) : (
        <SignedIn
          session={session}
          onSignOut={async () => {
            await signOut();
            setSession(null);
          }}
        />
      )}
    </PreferencesProvider>
  );
}

/** A route whose last segment is an id (decoded once here, so pages get the id as stored). */
const withId = (Page: (props: { id: string }) => React.ReactNode) => (params: { id: string }) => <Page id={decodeURIComponent(params.id)} />;

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const client = useMemo(() => createClient({ url: window.location.origin, cookie: true }), []);
  useEffect(() => () => client.close(), [client]);
  const { prefs } = usePreferences();
  return (
    <SessionContext.Provider value={session}>
      <SpectralProvider client={client} paused={prefs.paused}>
        <Router base="/ui">
          <Header session={session} onSignOut={onSignOut} />
          <main>
            <Switch>
              <Route path="/overview" component={Overview} />
              <Route path="/tasks" component={Tasks} />
              <Route path="/tasks/:id">{withId(TaskDetail)}</Route>
              <Route path="/workflows" component={Workflows} />
              <Route path="/workflows/:id">{withId(WorkflowDetail)}</Route>
              <Route path="/jobs" component={Jobs} />
              <Route path="/jobs/:id">{withId(JobDetail)}</Route>
              <Route path="/runs" component={Runs} />
              <Route path="/runs/:id">{withId(RunDetail)}</Route>
              <Route path="/counters" component={Counters} />
              <Route path="/sessions" component={Sessions} />
              {session.scopes.includes('admin') && <Route path="/keys" component={Keys} />}
              <Route>
                <Redirect to="/overview" replace />
              </Route>
            </Switch>
          </main>
        </Router>
      </SpectralProvider>
    </SessionContext.Provider>
  );
}

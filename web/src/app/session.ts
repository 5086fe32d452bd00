/** The dashboard's sign-in: an API key exchanged for an HttpOnly session cookie (server: /ui/api/session). */
export interface Session {
  keyName: string;
  scopes: string[];
  expiresAt: string;
}

const path = '/ui/api/session';

async function answer(response: Response): Promise<Session> {
  if (response.ok) return (await response.json()) as Session;
  let detail = `HTTP ${response.status}`;
  try {
    const problem = (await response.json()) as { detail?: string; title?: string };
    detail = problem.detail ?? problem.title ?? detail;
  } catch {
    // not a problem document: keep the status
  }
  throw new Error(detail);
}

/** The signed-in session, or null (the cookie is missing, expired or its key revoked). */
export async function currentSession(): Promise<Session | null> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  return response.status === 401 ? null : answer(response);
}

export async function signIn(apiKey: string): Promise<Session> {
  return answer(await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ apiKey }) }));
}

/** A fresh cookie while the tab is open; null when the session cannot be renewed. */
export async function renew(): Promise<Session | null> {
  const response = await fetch(`${path}/refresh`, { method: 'POST' });
  return response.status === 401 ? null : answer(response);
}

export async function signOut(): Promise<void> {
  await fetch(path, { method: 'DELETE' });
}

/** What the key may do: the UI offers no control the server would refuse. */
export const can = (session: Session, scope: 'read' | 'write' | 'admin') => session.scopes.includes(scope);

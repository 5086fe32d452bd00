import { createContext, useContext } from 'react';
import type { Session } from './session';

/** The signed-in session for every page below the app shell (what the key may do: `can(session, …)`). */
export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession: only inside the signed-in app');
  return session;
}

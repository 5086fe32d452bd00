import type { SpectralClient } from '@spectralnotify/client';
import { createContext, useContext, type ReactNode } from 'react';

const ClientContext = createContext<SpectralClient | null>(null);
const PausedContext = createContext(false);

/**
 * Makes one client (one live connection) available to every hook below it. `paused`: every hook
 * keeps showing what it showed when the pause began (subscriptions stay open, so resuming shows the
 * current state at once), for reading a page that would otherwise move under the reader.
 */
export function SpectralProvider({ client, paused = false, children }: { client: SpectralClient; paused?: boolean; children?: ReactNode }) {
  return (
    <ClientContext.Provider value={client}>
      <PausedContext.Provider value={paused}>{children}</PausedContext.Provider>
    </ClientContext.Provider>
  );
}

/** Whether the provider pauses live updates. */
export function useLivePaused(): boolean {
  return useContext(PausedContext);
}

/** The provider's client, for REST calls from components. */
export function useSpectralClient(): SpectralClient {
  const client = useContext(ClientContext);
  if (!client) {
    throw new Error('useSpectralClient: wrap the tree in <SpectralProvider client={…}>');
  }
  return client;
}

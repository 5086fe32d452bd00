import type { SpectralClient } from '@spectralnotify/client';
import { createContext, useContext, type ReactNode } from 'react';

const ClientContext = createContext<SpectralClient | null>(null);

/** Makes one client (one live connection) available to every hook below it. */
export function SpectralProvider({ client, children }: { client: SpectralClient; children?: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

/** The provider's client, for REST calls from components. */
export function useSpectralClient(): SpectralClient {
  const client = useContext(ClientContext);
  if (!client) {
    throw new Error('useSpectralClient: wrap the tree in <SpectralProvider client={…}>');
  }
  return client;
}

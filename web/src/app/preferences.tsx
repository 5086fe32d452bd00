import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

/** What the reader chose for this browser: kept in localStorage (never anything secret). */
export interface Preferences {
  theme: 'system' | 'light' | 'dark';
  time: 'local' | 'utc' | 'relative';
  /** Live updates held back while reading; the subscriptions stay open. */
  paused: boolean;
}

const defaults: Preferences = { theme: 'system', time: 'local', paused: false };
const storageKey = 'spectral.preferences';

function load(): Preferences {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Partial<Preferences>;
    return {
      theme: saved.theme === 'light' || saved.theme === 'dark' ? saved.theme : 'system',
      time: saved.time === 'utc' || saved.time === 'relative' ? saved.time : 'local',
      // A pause does not survive a reload: a fresh page always shows the present.
      paused: false,
    };
  } catch {
    return defaults;
  }
}

const PreferencesContext = createContext<{ prefs: Preferences; set: (change: Partial<Preferences>) => void }>({
  prefs: defaults,
  set: () => {},
});

export function PreferencesProvider({ children }: { children?: ReactNode }) {
  const [prefs, setPrefs] = useState(load);
  useEffect(() => {
    // The theme is an attribute on <html>: the stylesheet picks colours from it ("system" follows the OS).
    if (prefs.theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = prefs.theme;
    localStorage.setItem(storageKey, JSON.stringify({ theme: prefs.theme, time: prefs.time }));
  }, [prefs.theme, prefs.time]);
  const set = (change: Partial<Preferences>) => setPrefs((p) => ({ ...p, ...change }));
  return <PreferencesContext.Provider value={{ prefs, set }}>{children}</PreferencesContext.Provider>;
}

export const usePreferences = () => useContext(PreferencesContext);

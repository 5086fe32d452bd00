import { usePreferences } from '../app/preferences';

/** The header's switches: pause live updates, theme, how times are shown. */
export function Settings() {
  const { prefs, set } = usePreferences();
  return (
    <div className="settings">
      <button type="button" aria-pressed={prefs.paused} onClick={() => set({ paused: !prefs.paused })} data-testid="pause-live">
        {prefs.paused ? 'Resume live' : 'Pause live'}
      </button>
      <label>
        <span className="visually-hidden">Theme</span>
        <select value={prefs.theme} onChange={(e) => set({ theme: e.target.value as 'system' })} aria-label="Theme">
          <option value="system">System theme</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <label>
        <span className="visually-hidden">Times</span>
        <select value={prefs.time} onChange={(e) => set({ time: e.target.value as 'local' })} aria-label="Times">
          <option value="local">Local time</option>
          <option value="utc">UTC</option>
          <option value="relative">Relative</option>
        </select>
      </label>
    </div>
  );
}

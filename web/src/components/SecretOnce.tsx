import './SecretOnce.css';
import { useId } from 'react';
import { CopyButton } from './CopyButton';

/**
 * A secret the server shows only in one answer (a new API key, a minted token): a read-only field
 * to select or copy, a warning that it will not be shown again, and a button to put it away.
 */
export function SecretOnce({ label, value, onDone, children }: { label: string; value: string; onDone: () => void; children?: React.ReactNode }) {
  const warningId = useId();
  return (
    <div className="secret-once" role="group" aria-labelledby={warningId}>
      <p className="warning" id={warningId}>
        <strong>Copy it now:</strong> this is shown only once. The server keeps no copy it could show again.
      </p>
      <label>
        {label}
        <input readOnly value={value} onFocus={(e) => e.currentTarget.select()} spellCheck={false} data-testid="secret" />
      </label>
      {children}
      <div className="actions">
        <CopyButton text={value} label="Copy" />
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

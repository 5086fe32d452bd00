import { useState } from 'react';

/**
 * Copies text to the clipboard; where the browser refuses (no permission, not a secure context) the
 * text is shown selectable instead, so the action never silently does nothing.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'shown'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('shown');
    }
  };
  return (
    <span className="copy">
      <button type="button" onClick={copy}>
        {label}
      </button>
      {state === 'copied' && (
        <span role="status" className="muted">
          Copied
        </span>
      )}
      {state === 'shown' && (
        <code className="copy-text" data-testid="copy-text">
          {text}
        </code>
      )}
    </span>
  );
}

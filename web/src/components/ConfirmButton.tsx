import './ConfirmButton.css';
import { useEffect, useRef, useState } from 'react';

/**
 * A button for something that cannot be undone (delete, revoke, rotate): the first press asks, in
 * the page rather than in a browser dialog, so keyboard and screen-reader users get the same
 * question, with focus moved to it; the action runs only on "Yes".
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled,
}: {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm: () => void | Promise<unknown>;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>{' '}
      <button
        type="button"
        ref={yes}
        className="danger"
        onClick={async () => {
          setAsking(false);
          await onConfirm();
        }}
      >
        {confirmLabel ?? `Yes, ${label.toLowerCase()}`}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        No
      </button>
    </span>
  );
}

import { useRef, type ReactNode } from 'react';

/**
 * A button that asks first, in a modal `<dialog>` (focus moves into it, Escape cancels): for
 * actions that cannot be undone.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled,
}: {
  label: string;
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" disabled={disabled} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} className="confirm" aria-label={label}>
        <form method="dialog">
          <p>{question}</p>
          <div className="actions">
            <button value="cancel" autoFocus>
              Keep
            </button>
            <button value="confirm" className="danger" onClick={onConfirm}>
              {confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

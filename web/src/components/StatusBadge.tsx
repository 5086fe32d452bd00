/** A task / run / workflow state in words, coloured by outcome (the colour is never the only cue). */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`status status-${status}`} data-testid={testId}>
      {status}
    </span>
  );
}

/** An accessible progress bar: role="progressbar" with its value for assistive technology. */
export function ProgressBar({ value, label, status }: { value: number; label: string; status?: string }) {
  const clamped = Math.max(0, Math.min(100, value));
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(clamped)}>
      <div className={`progress-fill status-${status ?? 'in-progress'}`} style={{ width: `${clamped}%` }} />
    </div>
  );
}

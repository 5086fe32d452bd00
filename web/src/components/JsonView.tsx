/** JSON in a collapsible block (metadata, configuration, results): open by default when small. */
export function JsonView({ value, label, open }: { value: unknown; label: string; open?: boolean }) {
  const text = JSON.stringify(value ?? null, null, 2);
  return (
    <details className="json-view" open={open ?? text.length < 600}>
      <summary>{label}</summary>
      <pre className="json" tabIndex={0} aria-label={label}>
        {text}
      </pre>
    </details>
  );
}

export interface Point {
  seq: number;
  value: number;
}

const width = 160;
const height = 36;

/** The x/y pairs of a polyline through `values`, scaled into the box (a flat line when all are equal). */
export function sparklinePath(values: readonly number[], w = width, h = height): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  return values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - ((v - min) / span) * (h - 4)).toFixed(1)}`).join(' ');
}

/** A small line of recent values; the values themselves are its accessible name. */
export function Sparkline({ points, label }: { points: readonly Point[]; label: string }) {
  const values = points.map((p) => p.value);
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`${label}: ${values.join(', ') || 'none yet'}`}>
      {values.length > 1 ? <polyline points={sparklinePath(values)} fill="none" /> : values.length === 1 && <circle cx={width / 2} cy={height / 2} r={2} />}
    </svg>
  );
}

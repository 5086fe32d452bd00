import type { Phase } from '@spectralnotify/client';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { percent, phaseTree, type PhaseNode } from './phaseTree';

const points = (value: number) => (Math.round(value * 10) / 10).toString();

/** A workflow's phases as nested lists: each with its weight, its share of the whole, its progress and what it adds. */
export function PhaseTree({ phases }: { phases: readonly Phase[] }) {
  const tree = phaseTree(phases);
  if (tree.length === 0) return <p className="muted">This workflow has no phases.</p>;
  return <PhaseList nodes={tree} label="Phases" parent={null} />;
}

function PhaseList({ nodes, label, parent, depth = 0 }: { nodes: readonly PhaseNode[]; label: string; parent: PhaseNode | null; depth?: number }) {
  return (
    <ul className="phase-tree" aria-label={label}>
      {nodes.map((node) => {
        const { phase } = node;
        return (
          <li key={phase.key} data-phase-key={phase.key}>
            {/* The depth narrows the name column by one indent per level, so the bars line up across levels. */}
            <div className="phase-row" style={{ '--depth': depth } as React.CSSProperties}>
              <span className="phase-name">
                <strong>{phase.label}</strong> <code className="muted">{phase.key}</code>
              </span>
              <span className="phase-status">
                <StatusBadge status={phase.status} />
              </span>
              <span className="phase-progress">
                <ProgressBar value={node.rolledUp} label={`Phase ${phase.label}`} status={phase.status} />{' '}
                <span data-testid={`phase-progress-${phase.key}`}>{points(node.rolledUp)} %</span>
              </span>
              <span className="muted phase-weight">
                weight {percent(phase.weight)} of {parent ? parent.phase.label : 'the workflow'}
                {parent && <> = {percent(node.share)} of the workflow</>} · adds {points(node.contribution)} of 100 points
                {node.children.length > 0 && <> · rolled up from {node.children.length} sub-phases</>}
              </span>
            </div>
            {node.children.length > 0 && <PhaseList nodes={node.children} label={`Sub-phases of ${phase.label}`} parent={node} depth={depth + 1} />}
          </li>
        );
      })}
    </ul>
  );
}

import type { Phase } from '@spectralnotify/client';

/** A phase placed in its workflow's tree, with what it weighs in the whole and what it adds to it. */
export interface PhaseNode {
  phase: Phase;
  children: PhaseNode[];
  /** The product of the weights from the top level down to this phase: its share of the workflow (0–1). */
  share: number;
  /**
   * Progress rolled up from the leaves: a leaf's own progress, a parent's weighted sum of its
   * children's (docs/api.md, "Workflows"), computed here so the page never shows a parent ahead of
   * or behind its children while changes arrive.
   */
  rolledUp: number;
  /** Percentage points this phase adds to the workflow's overall progress (rolledUp × share). */
  contribution: number;
}

/**
 * The forest of phases by `parentPhaseKey`, siblings by `order`. A phase whose parent is missing is
 * shown at the top level rather than dropped, so nothing the server sent is hidden.
 */
export function phaseTree(phases: readonly Phase[]): PhaseNode[] {
  const keys = new Set(phases.map((p) => p.key));
  const byParent = new Map<string | null, Phase[]>();
  for (const p of [...phases].sort((a, b) => a.order - b.order)) {
    const parent = p.parentPhaseKey !== null && keys.has(p.parentPhaseKey) ? p.parentPhaseKey : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), p]);
  }
  const seen = new Set<string>();
  const build = (parent: string | null, parentShare: number): PhaseNode[] =>
    (byParent.get(parent) ?? [])
      .filter((p) => !seen.has(p.key) && seen.add(p.key))
      .map((phase) => {
        const share = parentShare * phase.weight;
        const children = build(phase.key, share);
        const rolledUp = children.length ? children.reduce((sum, c) => sum + c.phase.weight * c.rolledUp, 0) : phase.progress;
        return { phase, children, share, rolledUp, contribution: rolledUp * share };
      });
  return build(null, 1);
}

/** The workflow's progress from its tree: the sum of the top-level contributions, floored as the server does. */
export const treeProgress = (tree: readonly PhaseNode[]): number => Math.floor(tree.reduce((sum, n) => sum + n.contribution, 0) + 1e-9);

/** "40 %" for a weight or share of 0–1; one decimal only when it matters. */
export function percent(fraction: number): string {
  const value = Math.round(fraction * 1000) / 10;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} %`;
}

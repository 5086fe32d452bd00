import type { Phase } from '@spectralnotify/client';
import { describe, expect, it } from 'vitest';
import { percent, phaseTree, treeProgress } from '../src/pages/phaseTree';

const phase = (key: string, weight: number, progress: number, order: number, parentPhaseKey: string | null = null): Phase => ({
  key,
  label: key,
  weight,
  status: progress >= 100 ? 'success' : progress > 0 ? 'in-progress' : 'pending',
  progress,
  order,
  parentPhaseKey,
  depth: 0,
  startedAt: null,
  updatedAt: null,
  completedAt: null,
});

describe('phaseTree', () => {
  // build 0.5 (compile 0.25 at 100 %, test 0.75 at 40 %), deploy 0.5 at 10 %
  const phases = [phase('deploy', 0.5, 10, 3), phase('test', 0.75, 40, 2, 'build'), phase('build', 0.5, 0, 0), phase('compile', 0.25, 100, 1, 'build')];

  it('nests phases under their parents, siblings by order', () => {
    const tree = phaseTree(phases);
    expect(tree.map((n) => n.phase.key)).toEqual(['build', 'deploy']);
    expect(tree[0]!.children.map((n) => n.phase.key)).toEqual(['compile', 'test']);
  });

  it('rolls a parent up from its children by weight, and each share is the product of weights down the tree', () => {
    const [build, deploy] = phaseTree(phases);
    // 0.25 × 100 + 0.75 × 40 = 55, whatever progress the parent row itself carries
    expect(build!.rolledUp).toBeCloseTo(55);
    expect(build!.children[1]!.share).toBeCloseTo(0.375);
    expect(build!.children[1]!.contribution).toBeCloseTo(15);
    expect(deploy!.contribution).toBeCloseTo(5);
  });

  it('the overall progress is the floored sum of the top-level contributions', () => {
    // 0.5 × 55 + 0.5 × 10 = 32.5
    expect(treeProgress(phaseTree(phases))).toBe(32);
    expect(treeProgress(phaseTree([phase('a', 1, 100, 0)]))).toBe(100);
  });

  it('keeps a phase whose parent is missing, at the top level', () => {
    expect(phaseTree([phase('orphan', 1, 5, 0, 'gone')]).map((n) => n.phase.key)).toEqual(['orphan']);
  });

  it('writes weights as percentages', () => {
    expect(percent(0.5)).toBe('50 %');
    expect(percent(0.375)).toBe('37.5 %');
    expect(percent(1 / 3)).toBe('33.3 %');
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { engines } from './support/engines.js';
import { useServer } from './support/harness.js';
import { eventually } from './support/wait.js';

describe.each(engines)('a watch opened from a position the app kept ($name)', (engine) => {
  const env = useServer(engine);

  it.skipIf(engine.skip)('with snapshot: the entity now, then every change after the kept seq, then live ones', async () => {
    const id = `kept-${randomBytes(4).toString('hex')}`;
    await env.admin.tasks.create({ id });
    for (const p of [10, 20, 30]) await env.admin.tasks.progress(id, p);
    const first = env.client().tasks.watch(id);
    await eventually(() => first.state === 'subscribed', 'a first watch, for the epoch');
    const epoch = first.epoch!;
    first.close();

    const sub = env.client().tasks.watch(id, { after: 2, epoch, snapshot: true });
    const seen: string[] = [];
    sub.on('snapshot', (s) => seen.push(`snapshot@${s.seq}:${s.entity?.progress}`));
    sub.on('change', (c) => seen.push(`change@${c.seq}`));
    sub.on('reset', () => seen.push('reset'));
    await eventually(() => seen.length === 3, 'the snapshot and the two changes after seq 2');
    await env.admin.tasks.progress(id, 40);
    await eventually(() => sub.seq === 5, 'the live change');
    expect(seen).toEqual(['snapshot@4:30', 'change@3', 'change@4', 'change@5']);
    expect(sub.entity).toMatchObject({ progress: 40, lastSeq: 5 });
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LiveError, SpectralError } from '@spectralnotify/client';
import { engines } from './support/engines.js';
import { useServer } from './support/harness.js';
import { eventually } from './support/wait.js';

describe.each(engines)('a token scoped to one task ($name)', (engine) => {
  const env = useServer(engine);

  it.skipIf(engine.skip)('watches its task; another task is forbidden, alone; a list shows only its task', async () => {
    const type = `scoped-${randomBytes(4).toString('hex')}`;
    const [mine, other] = [`${type}-mine`, `${type}-other`];
    await env.admin.tasks.create({ id: mine, type });
    await env.admin.tasks.create({ id: other, type });
    const grant = await env.admin.tokens.mint([`read:tasks:${mine}`], 600);
    let tokensAsked = 0;
    const reader = env.client({
      getToken: () => {
        tokensAsked++;
        return grant.token;
      },
    });

    const watch = reader.tasks.watch(mine);
    const seqs: number[] = [];
    watch.on('change', (c) => seqs.push(c.seq));
    await eventually(() => watch.state === 'subscribed', 'the scoped task subscribed');
    await env.admin.tasks.progress(mine, 25);
    await eventually(() => seqs.length === 1, 'its change');

    const refused = reader.tasks.watch(other);
    await eventually(() => refused.state === 'failed', 'the other task refused');
    expect(refused.error).toBeInstanceOf(LiveError);
    expect(refused.error).toMatchObject({ code: 'forbidden', final: true });
    await expect(async () => {
      for await (const _ of refused) {
        // nothing comes
      }
    }).rejects.toMatchObject({ code: 'forbidden' });

    // The refusal closed only that subscription: same socket, the first watch goes on.
    await env.admin.tasks.progress(mine, 50);
    await eventually(() => seqs.length === 2, 'the next change of the scoped task');
    expect(seqs).toEqual([2, 3]);
    expect(watch.state).toBe('subscribed');
    expect(reader.connection.state).toBe('open');

    const list = reader.tasks.list({ type });
    await eventually(() => list.state === 'subscribed' && list.cursor !== undefined, 'the list\'s snapshot');
    expect(list.rows.map((r) => r.id)).toEqual([mine]);

    await expect(reader.tasks.get(mine)).resolves.toMatchObject({ id: mine, progress: 50 });
    await expect(reader.tasks.get(other)).rejects.toSatisfy((e) => e instanceof SpectralError && e.status === 403);
    expect(tokensAsked).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(engine.skip)('a token about to expire is renewed on the same socket (token-expiring → getToken → auth)', async () => {
    const id = `renewed-${randomBytes(4).toString('hex')}`;
    await env.admin.tasks.create({ id });
    // 32 s tokens: the server warns 30 s before expiry, so about 2 s after each one is accepted.
    let tokensAsked = 0;
    const reader = env.client({
      getToken: async () => {
        tokensAsked++;
        return (await env.admin.tokens.mint([`read:tasks:${id}`], 32)).token;
      },
    });
    const states: string[] = [];
    reader.connection.on('state', ({ state }) => states.push(state));
    const watch = reader.tasks.watch(id);
    const seqs: number[] = [];
    watch.on('change', (c) => seqs.push(c.seq));
    await eventually(() => watch.state === 'subscribed', 'subscribed');
    await env.admin.tasks.progress(id, 1);
    await eventually(() => tokensAsked >= 3, 'two renewals', { timeoutMs: 20_000 });
    await env.admin.tasks.progress(id, 2);
    await eventually(() => seqs.length === 2, 'the change after the renewals');
    expect(seqs).toEqual([2, 3]);
    expect(states).toEqual(['connecting', 'open']);
  });
});

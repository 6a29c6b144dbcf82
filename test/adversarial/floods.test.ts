/**
 * Spawn floods beyond the queue bounds (`maxJobsPerOwner` 5, `maxJobs` 8,
 * `maxConcurrent` 2): synchronous floods from one owner and from many,
 * through the handle and through `attach`, floods of refused requests and of
 * pre-aborted signals, and a churn of short jobs. Guarantee: exactly the bound
 * is accepted, every other request is ERR_QUEUE_FULL (or its own refusal)
 * with no id minted and nothing started, and once the flood drains the host
 * serves the next request with the next id.
 */
import { describe, expect, it } from 'vitest';
import type { JobSpawnRequestInput } from '../../src/contracts/jobs.js';
import { JobHostError, type JobHostErrorCode } from '../../src/errors.js';
import { until } from '../helpers/host.js';
import { useSentinel } from './harness.js';

const sentinel = useSentinel({ maxConcurrent: 2, maxJobsPerOwner: 5, maxJobs: 8 }, { sleep: {} });
const SLEEP: JobSpawnRequestInput = { label: 'sleeper', binary: 'sleep', args: ['1000'] };

/** Calls `spawn` `times` times; returns the ids accepted and the codes of the refusals. */
function flood(times: number, spawn: () => string): { ids: string[]; refusals: Map<JobHostErrorCode, number> } {
  const ids: string[] = [];
  const refusals = new Map<JobHostErrorCode, number>();
  for (let i = 0; i < times; i++) {
    try {
      ids.push(spawn());
    } catch (error) {
      if (!(error instanceof JobHostError)) throw error;
      refusals.set(error.code, (refusals.get(error.code) ?? 0) + 1);
    }
  }
  return { ids, refusals };
}

/** Cancels everything `owner` has and waits until it has all ended. */
async function drain(owner: string): Promise<void> {
  const jobs = sentinel().host.forOwner(owner);
  jobs.cancelAll('flood over');
  await Promise.all(jobs.list().map((job) => jobs.wait(job.id)));
}

function startedIds(from: number): string[] {
  return sentinel().events.slice(from).flatMap(([event]) => (event.type === 'job_started' ? [event.job_id] : []));
}

describe('floods beyond the queue bound', () => {
  it('1000 synchronous spawns from one owner: 5 accepted, 995 ERR_QUEUE_FULL, 2 running', async () => {
    const s = sentinel();
    const jobs = s.host.forOwner('flooder');
    const before = s.events.length;
    const { ids, refusals } = flood(1000, () => jobs.spawn(SLEEP));
    try {
      expect(ids).toEqual([1, 2, 3, 4, 5].map((n) => `flooder:${n}`));
      ids.forEach((id) => s.minted('flooder', id));
      expect(refusals).toEqual(new Map([['ERR_QUEUE_FULL', 995]]));
      await until(() => startedIds(before).length === 2, 30_000, 'the first two sleepers to start');
      expect(startedIds(before)).toEqual(['flooder:1', 'flooder:2']);
      expect(jobs.list().map((job) => job.status === 'Pending')).toEqual([false, false, true, true, true]);
    } finally {
      await drain('flooder');
    }
    await s.serves('flooder');
  });

  it("the host's bound holds across owners: the third owner is refused although its own quota is empty", async () => {
    const s = sentinel();
    const a = flood(10, () => s.host.forOwner('owner-a').spawn(SLEEP));
    const b = flood(10, () => s.host.forOwner('owner-b').spawn(SLEEP));
    const before = s.events.length;
    const c = flood(10, () => s.host.forOwner('owner-c').spawn(SLEEP));
    try {
      expect([a.ids.length, b.ids.length, c.ids.length]).toEqual([5, 3, 0]);
      expect(c.refusals).toEqual(new Map([['ERR_QUEUE_FULL', 10]]));
      expect(startedIds(before).filter((id) => id.startsWith('owner-c'))).toEqual([]);
      a.ids.forEach((id) => s.minted('owner-a', id));
      b.ids.forEach((id) => s.minted('owner-b', id));
    } finally {
      await drain('owner-a');
      await drain('owner-b');
    }
    for (const owner of ['owner-a', 'owner-b', 'owner-c']) await s.serves(owner);
  });

  it('100 owners × 5 spawns: exactly maxJobs accepted host-wide, the rest ERR_QUEUE_FULL', async () => {
    const s = sentinel();
    const owners = Array.from({ length: 100 }, (_, i) => `swarm-${i}`);
    const accepted: [string, string][] = [];
    let refused = 0;
    for (const owner of owners) {
      const { ids, refusals } = flood(5, () => s.host.forOwner(owner).spawn(SLEEP));
      ids.forEach((id) => accepted.push([owner, id]));
      refused += refusals.get('ERR_QUEUE_FULL') ?? 0;
    }
    expect(accepted).toHaveLength(8);
    expect(refused).toBe(492);
    accepted.forEach(([owner, id]) => s.minted(owner, id));
    for (const owner of new Set(accepted.map(([owner]) => owner))) await drain(owner);
    await s.serves('swarm-99');
  });

  it('host-side attach floods hit the same bound', async () => {
    const s = sentinel();
    const { ids, refusals } = flood(50, () => s.host.attach('attacher', SLEEP).id);
    expect(ids).toHaveLength(5);
    expect(refusals).toEqual(new Map([['ERR_QUEUE_FULL', 45]]));
    ids.forEach((id) => s.minted('attacher', id));
    await drain('attacher');
    await s.serves('attacher');
  });

  it('a full queue refuses before anything else is looked at, and mints nothing', async () => {
    const s = sentinel();
    const jobs = s.host.forOwner('full');
    const { ids } = flood(5, () => jobs.spawn(SLEEP));
    ids.forEach((id) => s.minted('full', id));
    const before = s.events.length;
    for (let i = 0; i < 1000; i++) {
      expect(() => jobs.spawn(SLEEP)).toThrow(expect.objectContaining({ code: 'ERR_QUEUE_FULL' }) as Error);
    }
    expect(s.events.slice(before)).toEqual([]);
    await drain('full');
    await s.serves('full');
  });

  it('10 000 refused requests in a row mint nothing and start nothing', async () => {
    const s = sentinel();
    const jobs = s.host.forOwner('noisy');
    const hostile: unknown[] = [null, { label: 'x', binary: '/bin/sh', args: [] }, { label: 'x', binary: 'sleep', args: ['\0'] }, { label: 'x', binary: 'sleep', args: [], env: { LD_PRELOAD: 'x' } }, { label: 'x', binary: 'sleep', args: [], cwd: '/' }];
    const before = s.events.length;
    const { ids, refusals } = flood(10_000, (() => {
      let i = 0;
      return () => jobs.spawn(hostile[i++ % hostile.length] as JobSpawnRequestInput);
    })());
    expect(ids).toEqual([]);
    expect([...refusals.values()].reduce((sum, n) => sum + n, 0)).toBe(10_000);
    expect(new Set(refusals.keys())).toEqual(new Set(['ERR_INVALID_REQUEST', 'ERR_BINARY_NOT_ALLOWED', 'ERR_ARGS_REFUSED', 'ERR_ENV_REFUSED', 'ERR_CWD_OUTSIDE_ROOT']));
    expect(s.events.slice(before)).toEqual([]);
    await s.serves('noisy');
  });

  it('1000 spawns with an aborted signal: ERR_ABORTED each time, nothing minted', async () => {
    const s = sentinel();
    const signal = AbortSignal.abort();
    const { ids, refusals } = flood(1000, () => s.host.forOwner('aborter').spawn(SLEEP, { signal }));
    expect(ids).toEqual([]);
    expect(refusals).toEqual(new Map([['ERR_ABORTED', 1000]]));
    await s.serves('aborter');
  });

  it('cancelling a flood of pending jobs ends each once, and none of them ever starts', async () => {
    const s = sentinel();
    const jobs = s.host.forOwner('canceller');
    const before = s.events.length;
    const { ids } = flood(5, () => jobs.spawn(SLEEP));
    ids.forEach((id) => s.minted('canceller', id));
    const pending = ids.slice(2);
    try {
      await until(() => startedIds(before).length === 2, 30_000, 'the first two sleepers to start');
      expect(jobs.list().filter((job) => job.status === 'Pending').map((job) => job.id)).toEqual(pending);
      for (const id of pending) expect(jobs.cancel(id, 'never mind')).toBe(true);
    } finally {
      await drain('canceller');
    }
    const mine = s.events.slice(before).map(([event]) => event).filter((event) => pending.includes(event.job_id));
    expect(mine.map((event) => event.type)).toEqual(['job_cancelled', 'job_cancelled', 'job_cancelled']);
    await s.serves('canceller');
  });

  it('a churn of 120 short jobs through the bound: each ends exactly once, then the next request is served', async () => {
    const s = sentinel();
    const jobs = s.host.forOwner('churner');
    const before = s.events.length;
    const done: Promise<unknown>[] = [];
    let spawned = 0;
    let refused = 0;
    while (spawned < 120) {
      try {
        const id = jobs.spawn({ label: 'short', binary: 'echo', args: [String(spawned)] });
        s.minted('churner', id);
        done.push(jobs.wait(id));
        spawned += 1;
      } catch (error) {
        if (!(error instanceof JobHostError) || error.code !== 'ERR_QUEUE_FULL') throw error;
        refused += 1;
        const unfinished = jobs.list().filter((job) => job.status === 'Pending' || (typeof job.status === 'object' && 'Running' in job.status));
        expect(unfinished.length, 'a full queue holds unfinished jobs of this owner').toBeGreaterThan(0);
        await Promise.race(unfinished.map((job) => jobs.wait(job.id)));
      }
    }
    await Promise.all(done);
    expect(refused).toBeGreaterThan(0);
    const terminals = s.events.slice(before).filter(([event]) => event.type === 'job_completed');
    expect(terminals).toHaveLength(120);
    expect(new Set(terminals.map(([event]) => event.job_id)).size).toBe(120);
    await s.serves('churner');
  });
});

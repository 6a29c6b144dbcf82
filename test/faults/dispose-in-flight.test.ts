/**
 * Fault: the host is disposed while spawns are in flight — in the same tick
 * as the spawns, from inside an event listener while jobs are starting, and
 * while a spawn is being retried. Every job must end with exactly one
 * terminal event, `job_cancelled` "host disposed" (after its `job_started`
 * if its process ran), `dispose()` must resolve only once no process is
 * left, and nothing may start afterwards.
 */
import { closeSync, copyFileSync, chmodSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminalEvent, type JobEvent } from '../../src/contracts/jobs.js';
import { JobHost } from '../../src/host/job-host.js';
import { groupMembers } from '../../src/process/group.js';
import { scriptedProgram } from '../../src/testing/program.js';
import { collect, fixture, makeHost, tempDir } from '../helpers/host.js';
import { descendantPids, eventsOf, liveDescendants } from './helpers.js';

/** Every job ended once, with "host disposed", after job_started if it ran; returns how many had started. */
function expectAllDisposed(events: readonly JobEvent[], ids: readonly string[]): number {
  let started = 0;
  for (const id of ids) {
    const mine = eventsOf(events, id);
    const terminals = mine.filter(isTerminalEvent);
    expect(terminals, id).toEqual([expect.objectContaining({ type: 'job_cancelled', reason: 'host disposed' })]);
    expect(mine.at(-1), id).toBe(terminals[0]);
    if (mine[0]?.type === 'job_started') {
      started += 1;
      expect(groupMembers(mine[0].pid as number), id).toEqual([]);
    } else expect(mine, id).toHaveLength(1); // never ran: the terminal event is all there is
  }
  return started;
}

const leaver = scriptedProgram([{ grandchild: true }, { stdout: 'up' }, { hang: true }]);

describe('dispose while spawns are in flight', () => {
  it('in the same tick as 40 spawns: all end "host disposed", no process left when dispose resolves', async () => {
    const known = descendantPids();
    const host = makeHost({ maxConcurrent: 16, killGraceMs: 200, binaries: { leaver: leaver.policy } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    const ids = Array.from({ length: 40 }, (_, n) => jobs.spawn({ label: `j${n}`, binary: 'leaver', args: [] }));

    await host.dispose();

    expect(liveDescendants(known)).toEqual([]);
    expectAllDisposed(events, ids);
    expect(() => jobs.spawn({ label: 'late', binary: 'leaver', args: [] })).toThrow(expect.objectContaining({ code: 'ERR_HOST_DISPOSED' }));
    expect(() => host.attach('p', { label: 'late', binary: 'leaver', args: [] })).toThrow(expect.objectContaining({ code: 'ERR_HOST_DISPOSED' }));
  });

  it('mid-start, from the listener of the third job_started: running, starting and queued jobs all end "host disposed"', async () => {
    const known = descendantPids();
    const host = makeHost({ maxConcurrent: 8, killGraceMs: 200, binaries: { leaver: leaver.policy } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    let disposed: Promise<void> | null = null;
    let starts = 0;
    jobs.onEvent((event) => {
      if (event.type === 'job_started' && ++starts === 3) disposed = host.dispose();
    });
    const ids = Array.from({ length: 24 }, (_, n) => jobs.spawn({ label: `j${n}`, binary: 'leaver', args: [] }));

    await Promise.all(ids.map((id) => jobs.wait(id)));
    await (disposed as Promise<void> | null);

    expect(disposed).not.toBeNull();
    expect(liveDescendants(known)).toEqual([]);
    const started = expectAllDisposed(events, ids);
    expect(started).toBeGreaterThanOrEqual(3);
    expect(started).toBeLessThanOrEqual(8); // the queued ones never started
  });

  it('while a spawn is being retried (ETXTBSY): the job ends "host disposed" and its process never starts', async () => {
    const dir = tempDir();
    const file = join(dir, 'busy.mjs');
    copyFileSync(fixture('forever.mjs'), file);
    chmodSync(file, 0o755);
    const host = new JobHost({ root: dir, binaries: { busy: { path: file } } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    const writer = openSync(file, 'r+'); // open for writing: every exec fails with ETXTBSY, and jobhost retries
    try {
      const id = jobs.spawn({ label: 'busy', binary: 'busy', args: [] });
      await host.dispose();
      expect(eventsOf(events, id)).toEqual([expect.objectContaining({ type: 'job_cancelled', reason: 'host disposed' })]);
    } finally {
      closeSync(writer);
    }
  });
});

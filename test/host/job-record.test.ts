/**
 * The job record's transitions, the one place their rules live: the first
 * cancel reason wins, a kill requested before there is anything to kill
 * happens as soon as there is, nothing cancels a job whose leader exited, and
 * a finished job keeps its status but not its spec or io.
 */
import { describe, expect, it } from 'vitest';
import { Job, type JobSpec } from '../../src/host/job.js';

const spec = { file: '/bin/true' } as unknown as JobSpec;

describe('Job: state transitions', () => {
  it('runs pending → starting → running → finished, with the status each phase reports', async () => {
    const job = new Job('j1', 'owner', 'label', spec, { stdin: 'pipe' });
    expect(job.status()).toBe('Pending');
    expect(job.begin()).toBe(spec);
    expect(job.status()).toBe('Pending');
    job.started(42, '2026-12-07T00:00:00.000Z');
    job.progressed(30);
    job.progressed(null);
    expect(job.status()).toEqual({ Running: { started_at: '2026-12-07T00:00:00.000Z', percent: 30 } });
    expect(job.pid).toBe(42);
    const terminal = { type: 'job_completed', job_id: 'j1', exit_code: 0, output_tail: null, completed_at: '2026-12-07T00:00:01.000Z' } as const;
    job.finish(terminal);
    expect(job.status()).toEqual({ Completed: { exit_code: 0 } });
    expect(job.io).toBeNull();
    await expect(job.done).resolves.toBe(terminal);
    expect(() => job.begin()).toThrow(/cannot start: it is finished/);
  });

  it('the first cancel reason wins, and a kill asked for before there is a process happens when there is one', () => {
    const job = new Job('j2', 'owner', 'label', spec);
    job.begin();
    expect(job.cancel('user pressed stop')).toBe(true);
    expect(job.cancel('timeout after 5s')).toBe(true);
    expect(job.cancelReason).toBe('user pressed stop');
    const kills: string[] = [];
    job.onKill(() => kills.push('kill'));
    expect(kills).toEqual(['kill']);
  });

  it('nothing cancels a job whose leader has exited; a limit stops only a job nobody cancelled', () => {
    const job = new Job('j3', 'owner', 'label', spec);
    job.begin();
    job.started(7, '2026-12-07T00:00:00.000Z');
    const kills: string[] = [];
    job.onKill(() => kills.push('kill'));
    expect(job.stop()).toBe(true);
    job.leaderExited();
    expect(job.cancel('too late')).toBe(false);
    expect(job.stop()).toBe(false);
    expect(job.cancelReason).toBeNull();
    expect(kills).toEqual(['kill']);
  });

  it('progress is only recorded while running', () => {
    const job = new Job('j4', 'owner', 'label', spec);
    job.progressed(50);
    job.begin();
    job.started(8, '2026-12-07T00:00:00.000Z');
    expect(job.status()).toEqual({ Running: { started_at: '2026-12-07T00:00:00.000Z', percent: null } });
  });
});

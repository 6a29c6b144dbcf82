/**
 * Fault: a child closes its stdout early and runs on. The end of stdout is
 * not the end of the job: it ends when the process exits, with every stderr
 * line delivered first, and its exit status reported as usual.
 */
import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isTerminalEvent } from '../../src/contracts/jobs.js';
import { collect, linesOf, makeHost, nextEvent } from '../helpers/host.js';
import { eventsOf, faultProgram } from './helpers.js';

describe('a child that closes stdout early and runs on', () => {
  it('still ends when it exits, after all of its stderr, with its exit status', async () => {
    const host = makeHost({ binaries: { closer: faultProgram('close-stdout') } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    let stdin: Writable | null = null;
    const job = host.attach('p', { label: 'closer', binary: 'closer', args: ['300'] }, { stdin: 'pipe', onStart: (started) => (stdin = started.stdin) });

    // stdout is closed before the first of these lines is written
    await nextEvent(jobs, (event) => event.type === 'job_log_line' && event.job_id === job.id && event.line === 'stderr 299');
    expect(jobs.status(job.id)).toMatchObject({ Running: {} });
    expect(eventsOf(events, job.id).some(isTerminalEvent)).toBe(false);

    (stdin as unknown as Writable).end('go\n');
    const end = await job.done;

    expect(end).toMatchObject({ type: 'job_failed', exit_code: 3, error: 'exited with code 3: done after stdout closed' });
    expect(linesOf(events, job.id)).toEqual(['last stdout line']);
    const numbered = Array.from({ length: 600 }, (_, n) => `stderr ${n}`);
    expect(linesOf(events, job.id, 'stderr')).toEqual(['stdout closed', ...numbered, 'done after stdout closed']);
    expect(linesOf(events, job.id, 'system')).toEqual([]); // nothing held the pipes: no "stopped reading"
    const mine = eventsOf(events, job.id);
    expect(mine.filter(isTerminalEvent)).toEqual([end]);
    expect(mine.at(-1)).toBe(end);
  });
});

/**
 * A plugin must not be able to hurt the host or learn about other owners.
 *
 * Attacks: a listener that throws on every event with nobody listening for
 * `listenerError` (it used to become an uncaught exception that killed the
 * host and every owner's jobs); a `listenerError` listener that throws too;
 * a full-queue refusal that told how many jobs the whole host held; labels,
 * cancel reasons and progress steps of megabytes; progress and lifecycle
 * events charged a flat 64 bytes so the buffer held a hundred times its cap;
 * an owner that never drains while short jobs end forever; finished jobs kept
 * by count only; spawn and forOwner options whose getters throw.
 * Guarantees: the host process survives and keeps serving; refusals are
 * typed (`JobHostError` with a stable code) and name nothing of other owners;
 * every plugin string has a documented cap; the buffer and the retained jobs
 * stay within their byte bounds.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isTerminalEvent, type JobEvent } from '../../src/contracts/jobs.js';
import { eventCost } from '../../src/events/event-buffer.js';
import { MAX_LABEL_CHARS, MAX_REASON_CHARS, MAX_STEP_CHARS } from '../../src/policy/string-caps.js';
import { expectJobHostError } from '../helpers/errors.js';
import { collect, fixture, makeHost } from '../helpers/host.js';
import { useSentinel } from './harness.js';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');
const sentinel = useSentinel({ maxJobs: 6, maxConcurrent: 2 }, { sleep: {} });
const OWNER = 'hostile-plugin';

describe('a throwing listener never takes the host down', () => {
  it('with no listenerError listener, in a real host process: the other plugin’s job completes, the host exits 0, one warning says why', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, fixture('listener-throws-host.ts')], { timeout: 60_000, cwd: process.cwd() });
    const report = JSON.parse(stdout.trim()) as { victim: string; warnings: string[] };
    expect(report.victim).toBe('job_completed');
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^JOBHOST_LISTENER_ERROR: a listener of owner "hostile" threw \(a plugin listener that throws on every event\)/);
    expect(stderr).toContain('JOBHOST_LISTENER_ERROR');
  });

  it('with a listenerError listener: every error is reported with its owner, and every other listener still gets every event in order', async () => {
    const host = makeHost();
    const reported: [unknown, string][] = [];
    host.on('listenerError', (error, owner) => reported.push([error, owner]));
    const hostile = host.forOwner('hostile');
    hostile.onEvent(() => {
      throw new Error('boom');
    });
    const after = collect(hostile);
    const end = await hostile.run({ label: 'l', binary: 'lines', args: ['2'] });
    expect(after.map((event) => event.type)).toEqual(['job_started', 'job_log_line', 'job_log_line', 'job_completed']);
    expect(reported).toHaveLength(4);
    expect(reported.every(([error, owner]) => owner === 'hostile' && error instanceof Error)).toBe(true);
    expect(end.type).toBe('job_completed');
  });

  it('a listenerError listener that throws as well is contained: one warning, the job completes', async () => {
    const host = makeHost();
    host.on('listenerError', () => {
      throw new Error('the reporter is broken too');
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const jobs = host.forOwner('hostile');
      jobs.onEvent(() => {
        throw new Error('boom');
      });
      expect((await jobs.run({ label: 'l', binary: 'lines', args: ['5'] })).type).toBe('job_completed');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => /JOBHOST_LISTENER_ERROR|owner "hostile"/.test(`${(warning as { code?: string }).code} ${warning.message}`))).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('refusals reveal nothing about other owners', () => {
  it('a full host says it is at capacity, without a count, a limit or another owner’s name', async () => {
    const s = sentinel();
    const victim = s.host.forOwner('victim-owner');
    const held = Array.from({ length: 6 }, () => victim.spawn({ label: 'held', binary: 'sleep', args: ['1000'] }));
    try {
      const error = expectJobHostError(() => s.host.forOwner(OWNER).spawn({ label: 'x', binary: 'echo', args: [] }), 'ERR_QUEUE_FULL');
      expect(error.message).toBe('Too many unfinished jobs: the host is at capacity; try again when a job ends');
      expect(JSON.stringify(error.details)).not.toMatch(/victim|\d/);
    } finally {
      victim.cancelAll('done');
      await Promise.all(held.map((id) => victim.wait(id)));
    }
    for (const id of held) s.minted('victim-owner', id);
    await s.serves(OWNER);
  });
});

describe('every string a plugin supplies has a cap', () => {
  it(`a label longer than ${MAX_LABEL_CHARS} characters is refused (ERR_INVALID_REQUEST), one of exactly ${MAX_LABEL_CHARS} runs`, async () => {
    const s = sentinel();
    const error = await s.refused(OWNER, () => s.host.forOwner(OWNER).spawn({ label: 'L'.repeat(1_000_000), binary: 'echo', args: [] }), 'ERR_INVALID_REQUEST');
    expect(error.message.length).toBeLessThan(300);
    expect((await s.run(OWNER, { label: 'L'.repeat(MAX_LABEL_CHARS), binary: 'echo', args: ['ok'] })).end.type).toBe('job_completed');
  });

  it(`a cancel reason of a megabyte is cut to ${MAX_REASON_CHARS} characters in the event and the retained status`, async () => {
    const s = sentinel();
    const jobs = s.host.forOwner(OWNER);
    const id = jobs.spawn({ label: 'sleeper', binary: 'sleep', args: ['1000'] });
    s.minted(OWNER, id);
    expect(jobs.cancel(id, `${'r'.repeat(1_000_000)}\ud800`)).toBe(true);
    const end = await jobs.wait(id);
    expect(end.type === 'job_cancelled' && end.reason.length).toBe(MAX_REASON_CHARS);
    expect(end.type === 'job_cancelled' && end.reason.endsWith('…')).toBe(true);
    const status = jobs.status(id) as { Cancelled: { reason: string } };
    expect(status.Cancelled.reason).toHaveLength(MAX_REASON_CHARS);
  });

  it(`task.update messages of 60 000 characters become progress steps of at most ${MAX_STEP_CHARS}`, async () => {
    const host = makeHost({ binaries: { 'progress-flood': { path: fixture('progress-flood.mjs'), progress: 'task-notifications' } } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    await jobs.run({ label: 'p', binary: 'progress-flood', args: ['20', '60000'] });
    const steps = events.flatMap((event) => (event.type === 'job_progress' && event.step !== null ? [event.step] : []));
    expect(steps).toHaveLength(20);
    expect(Math.max(...steps.map((step) => step.length))).toBe(MAX_STEP_CHARS);
  });

  it('what a host-side integration reports through attach is capped as well', async () => {
    const host = makeHost();
    const events: JobEvent[] = [];
    const job = host.attach('p', { label: 'f', binary: 'forever', args: [] }, { onEvent: (event) => events.push(event) });
    await new Promise<void>((resolve) => {
      const stop = host.forOwner('p').onEvent((event) => {
        if (event.type !== 'job_started') return;
        stop();
        resolve();
      });
    });
    job.progress(50, 's'.repeat(2_000_000));
    job.log('l'.repeat(2_000_000));
    job.cancel('done');
    await job.done;
    const progress = events.find((event) => event.type === 'job_progress');
    expect(progress?.type === 'job_progress' && progress.step?.length).toBe(MAX_STEP_CHARS);
    const line = events.find((event) => event.type === 'job_log_line' && event.stream === 'system');
    expect(line?.type === 'job_log_line' && line.line.length).toBe(65_536);
  });
});

describe('the event buffer accounts what events really hold', () => {
  it('a flood of progress with maximal steps, never drained, stays within the byte cap', async () => {
    const maxBytes = 64 * 1024;
    const host = makeHost({ buffer: { maxBytes, maxEvents: 100_000 }, binaries: { 'progress-flood': { path: fixture('progress-flood.mjs'), progress: 'task-notifications' } } });
    const jobs = host.forOwner('p');
    await jobs.run({ label: 'p', binary: 'progress-flood', args: ['5000', '60000'] });
    const held = jobs.drainEvents();
    const bytes = held.reduce((sum, event) => sum + eventCost(event), 0);
    // before: 64 bytes charged per progress event, so a 64 KiB cap held ~1000 steps of 1 KiB and more
    expect(bytes).toBeLessThanOrEqual(maxBytes + 2048);
    expect(held.some((event) => event.type === 'job_log_line' && event.line.includes('dropped'))).toBe(true);
    expect(held.filter(isTerminalEvent)).toHaveLength(1);
  });

  it('an owner that never drains while short jobs end: lifecycle events fill the buffer, then spawns are refused with ERR_EVENTS_UNDRAINED until it drains', async () => {
    const maxBytes = 4096;
    const host = makeHost({ buffer: { maxBytes, maxEvents: 10_000 }, maxConcurrent: 1 });
    const jobs = host.forOwner('never-drains');
    const blocker = jobs.spawn({ label: 'b', binary: 'forever', args: [] });
    let refusal: unknown;
    let ended = 0;
    // pending jobs cancelled with a long reason: each leaves one job_cancelled of ~1 KiB in the buffer
    for (let i = 0; i < 100 && refusal === undefined; i++) {
      try {
        const id = jobs.spawn({ label: 'q', binary: 'lines', args: [] });
        jobs.cancel(id, 'x'.repeat(1000));
        ended += 1;
      } catch (error) {
        refusal = error;
      }
    }
    expect(expectJobHostError(() => {
      throw refusal;
    }, 'ERR_EVENTS_UNDRAINED').message).toContain('drain');
    expect(ended).toBeLessThanOrEqual(5);
    const held = jobs.drainEvents();
    expect(held.reduce((sum, event) => sum + eventCost(event), 0)).toBeLessThanOrEqual(maxBytes + 2 * 1200);
    // drained: served again
    const id = jobs.spawn({ label: 'q', binary: 'lines', args: [] });
    jobs.cancel(blocker);
    expect((await jobs.wait(id)).type).toBe('job_completed');
  });

  it('an owner created with bufferEvents: false is never refused for not draining', async () => {
    const host = makeHost({ buffer: { maxBytes: 4096, maxEvents: 16 }, maxConcurrent: 1 });
    const jobs = host.forOwner('listener-only', { bufferEvents: false });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = jobs.spawn({ label: 'q', binary: 'forever', args: [] });
      jobs.cancel(id, 'x'.repeat(1000));
      ids.push(id);
    }
    const ends = await Promise.all(ids.map((id) => jobs.wait(id)));
    expect(ends.every((end) => end.type === 'job_cancelled')).toBe(true);
  });
});

describe('finished jobs are retained within a byte bound', () => {
  it('keepFinishedBytes drops the oldest finished jobs first, whatever keepFinished says', async () => {
    const host = makeHost({ keepFinished: 1000, keepFinishedBytes: 20_000, maxConcurrent: 1 });
    const jobs = host.forOwner('p');
    const blocker = jobs.spawn({ label: 'b', binary: 'forever', args: [] });
    const ids = Array.from({ length: 100 }, () => {
      const id = jobs.spawn({ label: 'L'.repeat(500), binary: 'lines', args: [] });
      jobs.cancel(id, 'r'.repeat(1000));
      return id;
    });
    const kept = jobs.list().filter((job) => job.id !== blocker);
    // each costs ~1.9 KB (400 + a 500-character label + a 1000-character reason): about ten fit
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(15);
    expect(kept.map((job) => job.id)).toEqual(ids.slice(-kept.length));
    expect(jobs.status(ids[0] as string)).toBeUndefined();
    jobs.cancel(blocker);
    await jobs.wait(blocker);
  });
});

describe('hostile options are typed refusals, never raw exceptions', () => {
  const hostileOptions: readonly [string, () => unknown][] = [
    ['a signal getter that throws', () => ({ get signal(): never { throw new Error('getter'); } })],
    ['a Proxy whose every trap throws', () => new Proxy({}, { get: () => { throw new Error('trap'); }, has: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } })],
    ['a signal that is not an AbortSignal', () => ({ signal: { aborted: 'no' } })],
    ['a signal that is a string', () => ({ signal: 'abort' })],
    ['options that are a number', () => 42],
    ['a signal whose addEventListener throws', () => ({ signal: { aborted: false, addEventListener: () => { throw new Error('nope'); }, removeEventListener: () => undefined } })],
  ];
  it.each(hostileOptions)('spawn with %s → ERR_INVALID_OPTIONS, nothing started', async (_name, options) => {
    const s = sentinel();
    await s.refused(OWNER, () => s.host.forOwner(OWNER).spawn({ label: 'x', binary: 'echo', args: [] }, options() as never), 'ERR_INVALID_OPTIONS');
  });

  it('drainEvents, onEvent and forOwner refuse what is not theirs with ERR_INVALID_OPTIONS', async () => {
    const s = sentinel();
    const jobs = s.host.forOwner(OWNER);
    expectJobHostError(() => jobs.drainEvents('all' as never), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => jobs.drainEvents(-1), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => jobs.onEvent('listener' as never), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => s.host.forOwner('another', { get binaries(): never { throw new Error('getter'); } }), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => s.host.forOwner('another', { bufer: false } as never), 'ERR_INVALID_OPTIONS');
    await s.serves(OWNER);
  });
});

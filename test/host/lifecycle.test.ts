import { chmodSync, copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobEvent, isTerminalEvent, jobStatusState } from '../../src/contracts/jobs.js';
import { JobHost } from '../../src/host/job-host.js';
import { collect, fixture, fixtureBinaries, linesOf, makeHost, nextEvent, tempDir } from '../helpers/host.js';
import { expectJobHostError } from '../helpers/errors.js';

describe('job lifecycle', () => {
  it('emits job_started first, every line, then exactly one job_completed with the stdout tail', async () => {
    const jobs = makeHost().forOwner('plugin-a');
    const events = collect(jobs);
    const id = jobs.spawn({ label: 'lines', binary: 'lines', args: ['3', '2'] });
    expect(id).toBe('plugin-a:1');
    const terminal = await jobs.wait(id);
    expect(events[0]).toMatchObject({ type: 'job_started', job_id: id });
    expect(events[0]?.type === 'job_started' && events[0].pid).toBeGreaterThan(0);
    expect(linesOf(events, id)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(linesOf(events, id, 'stderr')).toEqual(['err 1', 'err 2']);
    expect(events.at(-1)).toBe(terminal);
    expect(events.filter(isTerminalEvent)).toHaveLength(1);
    expect(terminal).toMatchObject({ type: 'job_completed', exit_code: 0, output_tail: 'line 1\nline 2\nline 3\n' });
    // every event is a valid wire message and re-encodes unchanged
    for (const event of events) expect(JobEvent.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('drainEvents returns the same events, in order, once', async () => {
    const jobs = makeHost().forOwner('p');
    const pushed = collect(jobs);
    await jobs.run({ label: 'l', binary: 'lines', args: ['5'] });
    const drained = jobs.drainEvents();
    expect(drained).toEqual(pushed);
    expect(jobs.drainEvents()).toEqual([]);
  });

  it('keeps only the last outputTailBytes of stdout, cut on a character boundary', async () => {
    const jobs = makeHost({ outputTailBytes: 10 }).forOwner('p');
    const terminal = await jobs.run({ label: 'w', binary: 'write', args: [JSON.stringify('abc€€€€')] });
    // '€' is 3 bytes: the last 10 bytes start inside a '€', which is dropped
    expect(terminal).toMatchObject({ type: 'job_completed', output_tail: '€€€' });
  });

  it('reports a non-zero exit as job_failed with the code and the last stderr line', async () => {
    const jobs = makeHost().forOwner('p');
    const terminal = await jobs.run({ label: 'x', binary: 'exit', args: ['3', 'fatal: not a repository'] });
    expect(terminal).toMatchObject({ type: 'job_failed', exit_code: 3, error: 'exited with code 3: fatal: not a repository' });
  });

  it('reports death by signal as job_failed with exit_code null', async () => {
    const jobs = makeHost().forOwner('p');
    const id = jobs.spawn({ label: 'f', binary: 'forever', args: [] });
    const started = await nextEvent(jobs, (event) => event.type === 'job_started');
    await nextEvent(jobs, (event) => event.type === 'job_log_line');
    process.kill(started.type === 'job_started' ? (started.pid as number) : 0, 'SIGKILL');
    expect(await jobs.wait(id)).toMatchObject({ type: 'job_failed', exit_code: null, error: 'killed by signal SIGKILL' });
  });

  it('refuses a binary removed after construction with ERR_BINARY_CHANGED, before anything starts', async () => {
    const dir = tempDir();
    const copy = join(dir, 'gone.mjs');
    copyFileSync(fixture('lines.mjs'), copy);
    chmodSync(copy, 0o755);
    const host = new JobHost({ root: dir, binaries: { gone: { path: copy } } });
    try {
      rmSync(copy);
      const jobs = host.forOwner('p');
      const events = collect(jobs);
      const error = expectJobHostError(() => jobs.spawn({ label: 'g', binary: 'gone', args: [] }), 'ERR_BINARY_CHANGED');
      expect(error.message).toContain('ENOENT');
      expect(events).toEqual([]);
    } finally {
      await host.dispose();
    }
  });

  it('refuses a binary made non-executable after construction (its change time moved)', async () => {
    const dir = tempDir();
    const copy = join(dir, 'noexec.mjs');
    copyFileSync(fixture('lines.mjs'), copy);
    chmodSync(copy, 0o755);
    const host = new JobHost({ root: dir, binaries: { noexec: { path: copy } } });
    try {
      chmodSync(copy, 0o644);
      expect(expectJobHostError(() => host.forOwner('p').spawn({ label: 'n', binary: 'noexec', args: [] }), 'ERR_BINARY_CHANGED').message).toContain('modified');
    } finally {
      await host.dispose();
    }
  });

  it('a queued job whose binary was replaced while it waited fails before starting, with ERR_BINARY_CHANGED', async () => {
    const dir = tempDir();
    const copy = join(dir, 'swap.mjs');
    copyFileSync(fixture('lines.mjs'), copy);
    chmodSync(copy, 0o755);
    const host = new JobHost({ root: dir, maxConcurrent: 1, killGraceMs: 500, binaries: { ...fixtureBinaries(), swap: { path: copy } } });
    try {
      const jobs = host.forOwner('p');
      const events = collect(jobs);
      const blocker = jobs.spawn({ label: 'b', binary: 'forever', args: [] });
      const queued = jobs.spawn({ label: 's', binary: 'swap', args: ['1'] });
      // a rename over the file: a new inode under the pinned path, as a package upgrade or an attacker would do it
      writeFileSync(join(dir, 'evil.mjs'), '#!/bin/sh\necho replaced\n', { mode: 0o755 });
      renameSync(join(dir, 'evil.mjs'), copy);
      jobs.cancel(blocker);
      const terminal = await jobs.wait(queued);
      expect(terminal).toMatchObject({ type: 'job_failed', exit_code: null });
      expect(terminal.type === 'job_failed' && terminal.error).toMatch(/ERR_BINARY_CHANGED.*replaced by another file/);
      expect(events.filter((event) => event.job_id === queued)).toEqual([terminal]);
    } finally {
      await host.dispose();
    }
  });

  it('reports an interpreter that does not exist as a spawn failure (ENOENT), with no job_started', async () => {
    const dir = tempDir();
    const script = join(dir, 'orphan.sh');
    writeFileSync(script, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const host = new JobHost({ root: dir, binaries: { orphan: { path: script } } });
    try {
      const jobs = host.forOwner('p');
      const events = collect(jobs);
      const terminal = await jobs.run({ label: 'o', binary: 'orphan', args: [] });
      expect(terminal).toMatchObject({ type: 'job_failed', exit_code: null });
      expect(terminal.type === 'job_failed' && terminal.error).toContain('ENOENT');
      expect(events).toEqual([terminal]);
    } finally {
      await host.dispose();
    }
  });

  it('moves Pending → Running → Completed in status()', async () => {
    const jobs = makeHost({ maxConcurrent: 1 }).forOwner('p');
    const first = jobs.spawn({ label: 'f', binary: 'forever', args: [] });
    const second = jobs.spawn({ label: 'l', binary: 'lines', args: [] });
    await nextEvent(jobs, (event) => event.type === 'job_log_line' && event.job_id === first);
    expect(jobStatusState(jobs.status(first) ?? 'Pending')).toBe('running');
    expect(jobs.status(second)).toBe('Pending');
    jobs.cancel(first);
    await jobs.wait(second);
    expect(jobs.status(second)).toEqual({ Completed: { exit_code: 0 } });
    expect(jobs.status(first)).toEqual({ Cancelled: { reason: 'cancelled' } });
  });

  it('starts queued jobs in FIFO order and never starts a cancelled pending job', async () => {
    const jobs = makeHost({ maxConcurrent: 1 }).forOwner('p');
    const events = collect(jobs);
    const blocker = jobs.spawn({ label: 'b', binary: 'forever', args: [] });
    const ids = [1, 2, 3, 4].map((n) => jobs.spawn({ label: `q${n}`, binary: 'lines', args: ['1'] }));
    expect(jobs.cancel(ids[1] as string, 'not needed')).toBe(true);
    expect(jobs.cancel(ids[1] as string)).toBe(false);
    expect(await jobs.wait(ids[1] as string)).toMatchObject({ type: 'job_cancelled', reason: 'not needed' });
    jobs.cancel(blocker);
    await Promise.all(ids.map((id) => jobs.wait(id)));
    const starts = events.filter((event) => event.type === 'job_started').map((event) => event.job_id);
    expect(starts).toEqual([blocker, ids[0], ids[2], ids[3]]);
    expect(events.filter((event) => event.job_id === ids[1])).toHaveLength(1);
  });

  it('splits CRLF, keeps a final partial line, and replaces invalid UTF-8', async () => {
    const jobs = makeHost().forOwner('p');
    const events = collect(jobs);
    const crlf = await jobs.run({ label: 'c', binary: 'write', args: [JSON.stringify('a\r\nb\r\n\r\nlast')] });
    expect(linesOf(events, crlf.job_id)).toEqual(['a', 'b', '', 'last']);
    const bad = await jobs.run({ label: 'b', binary: 'write', args: [JSON.stringify('ok \u00ff\u00fe end\n'), 'bytes'] });
    expect(linesOf(events, bad.job_id)).toEqual(['ok \ufffd\ufffd end']);
    expect(bad.type).toBe('job_completed');
  });

  it('splits a 1 MB line without a newline into maxLineBytes pieces', async () => {
    const jobs = makeHost({ maxLineBytes: 65_536 }).forOwner('p');
    const events = collect(jobs);
    const terminal = await jobs.run({ label: 'big', binary: 'repeat', args: ['x', '1048576'] });
    const pieces = linesOf(events, terminal.job_id);
    expect(pieces).toHaveLength(16);
    expect(pieces.every((piece) => piece.length === 65_536)).toBe(true);
  });

  it('emits raw job_output_chunk events for binaries configured with output: chunks', async () => {
    const host = makeHost({ binaries: { raw: { path: fixture('write.mjs'), output: 'chunks' } } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    const terminal = await jobs.run({ label: 'r', binary: 'raw', args: [JSON.stringify('\u0000\u00ffab\n'), 'bytes'] });
    const bytes = events.flatMap((event) => (event.type === 'job_output_chunk' ? event.bytes : []));
    expect(bytes).toEqual([0, 255, 97, 98, 10]);
    expect(terminal.type).toBe('job_completed');
  });

  it('runs in the resolved cwd with only the base env plus allowed request env', async () => {
    const host = makeHost({ env: { BASE: 'yes', PATH: process.env.PATH ?? '' }, binaries: { env: { path: fixture('env.mjs'), env: ['EXTRA'] } } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    const env = await jobs.run({ label: 'e', binary: 'env', args: ['BASE', 'EXTRA', 'HOME'], env: { EXTRA: 'x' } });
    expect(linesOf(events, env.job_id)).toEqual(['BASE=yes', 'EXTRA=x', 'HOME unset']);
    const cwd = await jobs.run({ label: 'c', binary: 'cwd', args: [] });
    expect(linesOf(events, cwd.job_id)).toEqual([host.root]);
  });
});

describe('TypeScript conveniences', () => {
  it('wait() rejects with ERR_UNKNOWN_JOB for an unknown id', async () => {
    const jobs = makeHost().forOwner('p');
    await expect(jobs.wait('p:99')).rejects.toMatchObject({ code: 'ERR_UNKNOWN_JOB' });
  });

  it('an AbortSignal cancels the job with its reason', async () => {
    const jobs = makeHost().forOwner('p');
    const controller = new AbortController();
    const id = jobs.spawn({ label: 'f', binary: 'forever', args: [] }, { signal: controller.signal });
    await nextEvent(jobs, (event) => event.type === 'job_log_line');
    controller.abort(new Error('user closed the panel'));
    expect(await jobs.wait(id)).toMatchObject({ type: 'job_cancelled', reason: 'aborted: user closed the panel' });
  });

  it('the async iterator yields each event once and stops on abort', async () => {
    const jobs = makeHost().forOwner('p');
    const controller = new AbortController();
    const id = jobs.spawn({ label: 'l', binary: 'lines', args: ['2'] });
    const seen: string[] = [];
    for await (const event of jobs.events({ signal: controller.signal })) {
      seen.push(event.type);
      if (isTerminalEvent(event)) controller.abort();
    }
    expect(seen).toEqual(['job_started', 'job_log_line', 'job_log_line', 'job_completed']);
    expect(jobs.status(id)).toEqual({ Completed: { exit_code: 0 } });
  });

  it('breaking out of for-await leaves the rest of the batch for the next reader', async () => {
    const jobs = makeHost().forOwner('p');
    await jobs.run({ label: 'l', binary: 'lines', args: ['3'] });
    for await (const event of jobs) {
      expect(event.type).toBe('job_started');
      break;
    }
    expect(jobs.drainEvents().map((event) => event.type)).toEqual(['job_log_line', 'job_log_line', 'job_log_line', 'job_completed']);
  });

  it('the iterator ends once the host is disposed and the owner has no unfinished job', async () => {
    const host = makeHost();
    const jobs = host.forOwner('p');
    jobs.spawn({ label: 'f', binary: 'forever', args: [] });
    const types: string[] = [];
    const reading = (async () => {
      for await (const event of jobs) types.push(event.type);
    })();
    await nextEvent(jobs, (event) => event.type === 'job_log_line');
    await host.dispose();
    await reading;
    expect(types.at(-1)).toBe('job_cancelled');
  });

  it('await using disposes the host at the end of the scope', async () => {
    const root = tempDir();
    let pid = 0;
    {
      await using host = new JobHost({ root, binaries: fixtureBinaries() });
      const jobs = host.forOwner('p');
      jobs.spawn({ label: 'f', binary: 'forever', args: [] });
      const started = await nextEvent(jobs, (event) => event.type === 'job_started');
      pid = started.type === 'job_started' ? (started.pid as number) : 0;
    }
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('the same owner gets the same handle; list() shows only its own jobs', async () => {
    const host = makeHost();
    expect(host.forOwner('a')).toBe(host.forOwner('a'));
    const a = host.forOwner('a');
    const b = host.forOwner('b');
    const id = await a.run({ label: 'l', binary: 'lines', args: ['1'] });
    expect(a.list().map((job) => job.id)).toEqual([id.job_id]);
    expect(b.list()).toEqual([]);
  });
});

describe('bounded event buffer', () => {
  it('drops the oldest lines of an undrained owner, announces it once, and keeps lifecycle events', async () => {
    const jobs = makeHost({ buffer: { maxEvents: 100 } }).forOwner('p');
    const terminal = await jobs.run({ label: 'l', binary: 'lines', args: ['1000'] });
    const drained = jobs.drainEvents();
    expect(drained.length).toBeLessThanOrEqual(101);
    expect(drained[0]?.type).toBe('job_started');
    expect(drained[1]).toMatchObject({ type: 'job_log_line', stream: 'system' });
    expect(drained[1]?.type === 'job_log_line' && drained[1].line).toMatch(/^\[jobhost\] dropped \d+ log lines/);
    const kept = linesOf(drained, terminal.job_id);
    const dropped = Number(/dropped (\d+)/.exec(drained[1]?.type === 'job_log_line' ? drained[1].line : '')?.[1]);
    expect(dropped + kept.length).toBe(1000);
    expect(kept.at(-1)).toBe('line 1000');
    expect(drained.at(-1)).toEqual(terminal);
    expect(jobs.droppedEvents).toBe(dropped);
  });
});

describe('retention and listener errors', () => {
  it('keeps finished statuses for keepFinished jobs per owner, then forgets them like unknown ids', async () => {
    const jobs = makeHost({ keepFinished: 2 }).forOwner('p');
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push((await jobs.run({ label: `l${n}`, binary: 'lines', args: ['1'] })).job_id);
    expect(jobs.status(ids[0] as string)).toBeUndefined();
    expect(jobs.status(ids[1] as string)).toEqual({ Completed: { exit_code: 0 } });
    expect(jobs.list().map((job) => job.id)).toEqual(ids.slice(1));
    await expect(jobs.wait(ids[0] as string)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_JOB' });
  });

  it("a plugin listener that throws is reported through listenerError and the job still ends once", async () => {
    const host = makeHost();
    const jobs = host.forOwner('p');
    const reported: unknown[] = [];
    host.on('listenerError', (error, owner) => reported.push([String(error), owner]));
    jobs.onEvent((event) => {
      if (event.type === 'job_log_line') throw new Error('plugin bug');
    });
    const terminal = await jobs.run({ label: 'l', binary: 'lines', args: ['2'] });
    expect(terminal.type).toBe('job_completed');
    expect(reported).toEqual([
      ['Error: plugin bug', 'p'],
      ['Error: plugin bug', 'p'],
    ]);
    expect(jobs.drainEvents().filter(isTerminalEvent)).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { Writable } from 'node:stream';
import type { JobEvent } from '../../src/contracts/jobs.js';
import { collect, linesOf, makeHost, nextEvent } from '../helpers/host.js';

describe('host.attach: host-side integrations talk to a job under the same policy', () => {
  it('writes a string to stdin, closes it, and reads stdout raw instead of as log lines', async () => {
    const host = makeHost();
    const events = collect(host.forOwner('vcs'));
    const chunks: Buffer[] = [];
    const job = host.attach('vcs', { label: 'echo', binary: 'echo-stdin', args: [] }, { input: 'hello\nworld\n', onStdout: (chunk) => chunks.push(chunk) });
    expect(await job.done).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(Buffer.concat(chunks).toString()).toBe('HELLO\nWORLD\n');
    expect(linesOf(events, job.id)).toEqual([]);
    expect(host.forOwner('vcs').list().map((summary) => summary.id)).toEqual([job.id]);
  });

  it("hands over a piped stdin in onStart, and reports progress and log lines into the job's events", async () => {
    const host = makeHost();
    const jobs = host.forOwner('rpc');
    const events = collect(jobs);
    let stdin: Writable | null = null;
    const job = host.attach('rpc', { label: 'echo', binary: 'echo-stdin', args: [] }, {
      stdin: 'pipe',
      onStart: (process) => {
        stdin = process.stdin;
      },
    });
    await nextEvent(jobs, (event) => event.type === 'job_started');
    expect(stdin).not.toBeNull();
    job.progress(40, 'indexing');
    job.log('task indexing: 40%');
    expect(jobs.status(job.id)).toMatchObject({ Running: { percent: 40 } });
    (stdin as unknown as Writable).end('ping\n');
    await job.done;
    job.log('too late');
    expect(linesOf(events, job.id)).toEqual(['PING']);
    expect(linesOf(events, job.id, 'system')).toEqual(['task indexing: 40%']);
    expect(events.at(-1)?.type).toBe('job_completed');
  });

  it('applies the same policy: a refused request throws and starts nothing', () => {
    const host = makeHost();
    expect(() => host.attach('x', { label: 'x', binary: 'rm', args: [] })).toThrow(expect.objectContaining({ code: 'ERR_BINARY_NOT_ALLOWED' }));
    expect(host.forOwner('x').list()).toEqual([]);
  });

  it('a stdout reader that throws cancels the job with a clear reason instead of crashing the host', async () => {
    const host = makeHost();
    const job = host.attach('x', { label: 'f', binary: 'forever', args: [] }, {
      onStdout: () => {
        throw new Error('bad frame');
      },
    });
    expect(await job.done).toMatchObject({ type: 'job_cancelled', reason: "the host's stdout reader threw: bad frame" });
  });

  it('reports a stdin write failure (EPIPE) as a system line, not a crash', async () => {
    const host = makeHost();
    const jobs = host.forOwner('x');
    const events = collect(jobs);
    // `exit` never reads stdin and exits at once; 4 MB cannot fit in the pipe
    const job = host.attach('x', { label: 'e', binary: 'exit', args: ['0'] }, { input: Buffer.alloc(4 * 1024 * 1024, 120) });
    expect(await job.done).toMatchObject({ type: 'job_completed' });
    expect(linesOf(events, job.id, 'system')).toEqual([expect.stringContaining('writing to stdin failed: EPIPE')]);
  });

  it('an owner created with bufferEvents: false only pushes', async () => {
    const host = makeHost();
    const jobs = host.forOwner('listener', { bufferEvents: false });
    const events = collect(jobs);
    await jobs.run({ label: 'l', binary: 'lines', args: ['2'] });
    expect(events).toHaveLength(4);
    expect(jobs.drainEvents()).toEqual([]);
  });

  it('hold() stops reading the job (it blocks on its pipe) until released; nothing is lost, and holds stack', async () => {
    const host = makeHost();
    const heard: JobEvent[] = [];
    const job = host.attach('catalog', { label: 'chatty', binary: 'numbered', args: ['200000'] }, { onEvent: (event) => heard.push(event) });
    const first = job.hold();
    const second = job.hold();
    let ended = false;
    void job.done.then(() => (ended = true));
    await new Promise<void>((resolve) => {
      const check = (): void => (heard.some((event) => event.type === 'job_started') ? resolve() : void setImmediate(check));
      check();
    });
    // a few hundred event-loop turns: held from its start, at most the read in flight got through
    for (let turn = 0; turn < 300; turn++) await new Promise((resolve) => setImmediate(resolve));
    const whileHeld = linesOf(heard, job.id).length;
    expect(whileHeld).toBeLessThan(4000);
    expect(ended).toBe(false);
    first();
    first(); // a release works once: the second hold still holds
    for (let turn = 0; turn < 100; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(linesOf(heard, job.id).length).toBe(whileHeld);
    second();
    expect(await job.done).toMatchObject({ type: 'job_completed', exit_code: 0 });
    const lines = linesOf(heard, job.id);
    expect(lines).toHaveLength(200_000);
    expect(lines.every((line, index) => line.startsWith(`${index + 1} `))).toBe(true);
  });
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { isTerminalEvent, type JobEvent } from '../../src/contracts/jobs.js';
import { assertNoSurvivors, collectEvents, eventsOf, jobhostMatchers, jobhostTest, waitForEnd, waitForEvent } from '../../src/testing/index.js';

const test = jobhostTest({
  programs: {
    hello: [{ stdout: ['hello', 'world'] }, { stderr: 'careful' }],
    failing: [{ stderr: 'fatal: no' }, { exit: 3 }],
    build: {
      steps: [
        { notify: 'task.start', params: { id: 'b', label: 'Building' } },
        { notify: 'task.update', params: { id: 'b', current: 1, total: 2, message: 'half' } },
        { notify: 'task.done', params: { id: 'b' } },
      ],
      policy: { progress: 'task-notifications' },
    },
    echo: [{ readLine: true }],
    stubborn: [{ ignoreSigterm: true }, { grandchild: true }, { hang: true }],
    suicide: [{ stdout: 'bye' }, { signal: 'SIGKILL' }],
    busy: [{ stdout: 'still working' }, { stderr: 'almost there' }, { hang: true }],
  },
  host: { killGraceMs: 300 },
});

describe('jobhost/testing', () => {
  test('a scripted program prints, and the matchers read the events', async ({ jobs, events }) => {
    const id = jobs.spawn({ label: 'hello', binary: 'hello', args: [] });
    await waitForEnd(jobs, id);
    expect(events).toCompleteWith(0);
    expect(events).toHaveLogged('hello');
    expect(events).toHaveLogged(/car.ful/, 'stderr');
    expect(events).not.toHaveLogged('careful', 'stdout');
    expect(events).not.toHaveProgressed();
  });

  test('exit codes, progress from notifications, and death by signal', async ({ jobs, events }) => {
    const failing = await jobs.run({ label: 'f', binary: 'failing', args: [] });
    expect(eventsOf(events, failing.job_id)).toCompleteWith(3);
    const build = await jobs.run({ label: 'b', binary: 'build', args: [] });
    expect(eventsOf(events, build.job_id)).toHaveProgressed(50);
    const suicide = await jobs.run({ label: 's', binary: 'suicide', args: [] });
    expect(suicide).toMatchObject({ type: 'job_failed', error: 'killed by signal SIGKILL' });
    expect(eventsOf(events, suicide.job_id)).toHaveLogged('bye');
  });

  test('a program that ignores SIGTERM and forks a grandchild is still gone when the job ends', async ({ jobs, events }) => {
    const id = jobs.spawn({ label: 's', binary: 'stubborn', args: [] });
    const line = await waitForEvent(jobs, (event) => event.type === 'job_log_line' && event.line.startsWith('grandchild'));
    jobs.cancel(id, 'test over');
    await waitForEnd(jobs, id);
    const grandchild = Number(line.type === 'job_log_line' ? line.line.split(' ')[1] : 0);
    expect(() => process.kill(grandchild, 0)).toThrow();
    expect(eventsOf(events, id).filter(isTerminalEvent)).toEqual([expect.objectContaining({ type: 'job_cancelled', reason: 'test over' })]);
  });

  test('collectEvents waits for the given jobs to end, with no quiet period', async ({ jobs }) => {
    const a = jobs.spawn({ label: 'a', binary: 'hello', args: [] });
    const b = jobs.spawn({ label: 'b', binary: 'failing', args: [] });
    const events = await collectEvents(jobs, { jobs: [a, b] });
    expect(eventsOf(events, a)).toCompleteWith(0);
    expect(eventsOf(events, b)).toCompleteWith(3);
  });

  test('a git repository on request', ({ gitRepo }) => {
    expect(existsSync(join(gitRepo, '.git'))).toBe(true);
    expect(existsSync(join(gitRepo, 'README.md'))).toBe(true);
  });
});

const limited = jobhostTest({ programs: { mine: [{ stdout: 'mine' }], theirs: [{ stdout: 'theirs' }] }, plugin: 'narrow', pluginBinaries: ['mine'] });

describe('pluginBinaries: the plugin under the rights its host gives it', () => {
  limited('jobs may run only the listed programs; the host itself may run all', async ({ host, jobs, events }) => {
    expect(jobs.owner).toBe('narrow');
    expect(jobs.binaries).toEqual(['mine']);
    await expect(jobs.run({ label: 'm', binary: 'mine', args: [] })).resolves.toMatchObject({ type: 'job_completed' });
    expect(events).toHaveLogged('mine');
    expect(() => jobs.spawn({ label: 't', binary: 'theirs', args: [] })).toThrow(expect.objectContaining({ code: 'ERR_BINARY_NOT_ALLOWED' }) as Error);
    await expect(host.forOwner('host-side').run({ label: 't', binary: 'theirs', args: [] })).resolves.toMatchObject({ type: 'job_completed' });
  });
});

describe('failure messages show the timeline', () => {
  const events: JobEvent[] = [
    { type: 'job_started', job_id: 'p:1', pid: 42, started_at: 't' },
    { type: 'job_log_line', job_id: 'p:1', line: 'compiling', stream: 'stdout' },
    { type: 'job_failed', job_id: 'p:1', exit_code: 2, error: 'exited with code 2: boom', failed_at: 't' },
  ];

  test('toCompleteWith', () => {
    const outcome = jobhostMatchers.toCompleteWith(events, 0);
    expect(outcome.pass).toBe(false);
    expect(outcome.message()).toContain('[p:1] FAILED (exit code 2): exited with code 2: boom');
    expect(outcome.message()).toContain('[p:1] stdout: compiling');
    expect(jobhostMatchers.toCompleteWith(events, 2).pass).toBe(true);
  });

  test('a terminal event that is not last, or two of them, does not pass', () => {
    const late = [...events, { type: 'job_log_line', job_id: 'p:1', line: 'after', stream: 'stdout' } as const];
    expect(jobhostMatchers.toCompleteWith(late, 2).pass).toBe(false);
    expect(jobhostMatchers.toCompleteWith([...events, events[2] as JobEvent], 2).pass).toBe(false);
  });

  test('waitForEvent reports what it saw when it times out', async ({ jobs }) => {
    const id = jobs.spawn({ label: 'h', binary: 'hello', args: [] });
    await expect(waitForEvent(jobs, (event) => event.type === 'job_progress', 2000)).rejects.toThrow(/No matching event within 2000 ms[\s\S]*stdout: hello/);
    await waitForEnd(jobs, id);
  });
});

describe('every wait lists the events it saw when it times out', () => {
  test('waitForEnd', async ({ jobs }) => {
    const id = jobs.spawn({ label: 'b', binary: 'busy', args: [] });
    // The lines arrive during the wait; the job never ends by itself.
    const error: unknown = await waitForEnd(jobs, id, 1500).catch((reason: unknown) => reason);
    if (!(error instanceof Error)) throw new Error(`waitForEnd resolved: ${JSON.stringify(error)}`);
    expect(error.message).toMatch(new RegExp(`^Job ${id} did not end within 1500 ms \\(status: .*Running.*\\)\\. Events seen meanwhile:\n`));
    expect(error.message).toContain(`[${id}] started (pid `);
    expect(error.message).toContain(`[${id}] stdout: still working`);
    expect(error.message).toContain(`[${id}] stderr: almost there`);
    jobs.cancel(id, 'test over');
    await waitForEnd(jobs, id);
  });

  test('collectEvents, waiting for jobs', async ({ jobs }) => {
    const id = jobs.spawn({ label: 'b', binary: 'busy', args: [] });
    await expect(collectEvents(jobs, { jobs: [id], timeoutMs: 1500 })).rejects.toThrow(
      new RegExp(`Jobs ${id} did not end within 1500 ms\\. Events seen meanwhile:[\\s\\S]*stdout: still working`),
    );
    jobs.cancel(id);
    await waitForEnd(jobs, id);
  });
});

describe('toHaveLogged quotes the expected line', () => {
  const events: JobEvent[] = [{ type: 'job_log_line', job_id: 'p:1', line: 'hello', stream: 'stdout' }];

  test('a string is quoted JSON-style, so whitespace and empty lines show', () => {
    expect(jobhostMatchers.toHaveLogged(events, 'hello ').message()).toContain('to contain a log line "hello "; timeline:');
    expect(jobhostMatchers.toHaveLogged(events, '').message()).toContain('to contain a log line ""; timeline:');
    expect(jobhostMatchers.toHaveLogged(events, 'a\tb', 'stderr').message()).toContain('to contain a log line "a\\tb" on stderr');
    expect(jobhostMatchers.toHaveLogged(events, 'hello').message()).toContain('expected the events not to contain a log line "hello"');
  });

  test('a RegExp is shown as written', () => {
    expect(jobhostMatchers.toHaveLogged(events, /^bye$/).message()).toContain('to contain a log line /^bye$/; timeline:');
  });
});

describe('assertNoSurvivors', () => {
  test('throws for a process group that still has a live member, and passes once it is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e8)'], { detached: true, stdio: 'ignore' });
    const pid = child.pid as number;
    try {
      expect(() => assertNoSurvivors([pid])).toThrow(/processes outlived the test: \d+ \(group \d+\)/);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-pid, 'SIGKILL');
      await exited;
    }
    expect(() => assertNoSurvivors([pid])).not.toThrow();
  });
});

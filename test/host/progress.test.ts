// Written with jobhost/testing: scripted programs instead of fixture files, fixtures instead of setup code.
import { describe, expect } from 'vitest';
import { linesOf } from '../helpers/host.js';
import { eventsOf, jobhostTest, waitForEnd, waitForEvent, type ProgramStep } from '../../src/testing/index.js';

const note = (method: string, params: object): ProgramStep => ({ notify: method, params });
const buildSteps: ProgramStep[] = [
  note('task.start', { id: 'b', label: 'Building', kind: 'rebuild' }),
  ...[1, 2, 3].map((current) => note('task.update', { id: 'b', current, total: 4, message: `step ${current}` })),
  note('task.log', { id: 'b', line: 'compiling...' }),
  { stdout: 'plain output' },
  note('task.update', { task_id: 'b', current: 4, total: 4 }), // a real plugin's mistake: task_id instead of id
  note('task.done', { id: 'b' }),
];
const progressThenWait: ProgramStep[] = [note('task.update', { id: 't', current: 2, total: 5, message: 'two of five' }), { stdout: 'progress: 40%' }, { hang: true }];

const test = jobhostTest({
  programs: {
    build: { steps: buildSteps, policy: { progress: 'task-notifications' } },
    'build-plain': buildSteps,
    waiting: { steps: progressThenWait, policy: { progress: 'task-notifications' } },
    percent: {
      steps: progressThenWait,
      policy: {
        progress: (line) => {
          const match = /(\d+)%/.exec(line);
          return match ? { percent: Number(match[1]) * 3, step: line } : undefined;
        },
      },
    },
    broken: {
      steps: [{ stdout: ['line 1', 'line 2', 'line 3'] }],
      policy: {
        progress: () => {
          throw new Error('parser bug');
        },
      },
    },
  },
});

describe('progress', () => {
  test('turns task.* notifications into job_progress and system log lines, consuming them', async ({ jobs, events }) => {
    const terminal = await jobs.run({ label: 'build', binary: 'build', args: [] });
    const progress = events.flatMap((event) => (event.type === 'job_progress' ? [[event.percent, event.step]] : []));
    expect(progress).toEqual([
      [null, 'Building'],
      [25, 'step 1'],
      [50, 'step 2'],
      [75, 'step 3'],
      [100, null],
    ]);
    expect(linesOf(events, terminal.job_id)).toEqual(['plain output']);
    const system = linesOf(events, terminal.job_id, 'system');
    expect(system[0]).toBe('compiling...');
    // a plugin sending task_id instead of id learns why its update was ignored
    expect(system[1]).toContain("task.update missing 'id'");
    expect(terminal).toMatchObject({ type: 'job_completed', output_tail: 'plain output\n' });
    expect(events).toCompleteWith(0);
  });

  test('leaves task notifications as plain output for binaries not configured for them', async ({ jobs, events }) => {
    const terminal = await jobs.run({ label: 't', binary: 'build-plain', args: [] });
    expect(events).not.toHaveProgressed();
    expect(linesOf(events, terminal.job_id)).toHaveLength(8);
  });

  test('Running.percent in status() follows the latest progress', async ({ jobs }) => {
    const id = jobs.spawn({ label: 'b', binary: 'waiting', args: [] });
    await waitForEvent(jobs, (event) => event.type === 'job_progress');
    expect(jobs.status(id)).toMatchObject({ Running: { percent: 40 } });
    jobs.cancel(id);
    await waitForEnd(jobs, id);
  });

  test('a per-binary function maps output lines to progress; the lines are still logged', async ({ jobs, events }) => {
    const id = jobs.spawn({ label: 'b', binary: 'percent', args: [] });
    const progress = await waitForEvent(jobs, (event) => event.type === 'job_progress');
    expect(progress).toMatchObject({ percent: 100, step: 'progress: 40%' }); // 120 clamped
    expect(jobs.status(id)).toMatchObject({ Running: { percent: 100 } });
    expect(eventsOf(events, id)).toHaveLogged('progress: 40%', 'stdout');
    jobs.cancel(id);
    await waitForEnd(jobs, id);
  });

  test('a progress function that throws is disabled for the job and reported once', async ({ jobs, events }) => {
    const terminal = await jobs.run({ label: 'b', binary: 'broken', args: [] });
    expect(linesOf(events, terminal.job_id)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(linesOf(events, terminal.job_id, 'system')).toEqual([expect.stringContaining('parser bug')]);
    expect(events).toCompleteWith(0);
  });
});

import { describe, expect, it } from 'vitest';
import { collect, fixture, linesOf, makeHost, nextEvent } from '../helpers/host.js';

describe('progress', () => {
  it('turns task.* notifications into job_progress and system log lines, consuming them', async () => {
    const host = makeHost({ binaries: { build: { path: fixture('tasks.mjs'), progress: 'task-notifications' } } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
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
  });

  it('leaves task notifications as plain output for binaries not configured for them', async () => {
    const jobs = makeHost().forOwner('p');
    const events = collect(jobs);
    const terminal = await jobs.run({ label: 't', binary: 'tasks', args: [] });
    expect(events.some((event) => event.type === 'job_progress')).toBe(false);
    expect(linesOf(events, terminal.job_id)).toHaveLength(8);
  });

  it('Running.percent in status() follows the latest progress', async () => {
    const host = makeHost({ binaries: { build: { path: fixture('progress-wait.mjs'), progress: 'task-notifications' } } });
    const jobs = host.forOwner('p');
    const id = jobs.spawn({ label: 'b', binary: 'build', args: [] });
    await nextEvent(jobs, (event) => event.type === 'job_progress');
    expect(jobs.status(id)).toMatchObject({ Running: { percent: 40 } });
    jobs.cancel(id);
    await jobs.wait(id);
  });

  it('a per-binary function maps output lines to progress; the lines are still logged', async () => {
    const host = makeHost({
      binaries: {
        pct: {
          path: fixture('progress-wait.mjs'),
          progress: (line) => {
            const match = /(\d+)%/.exec(line);
            return match ? { percent: Number(match[1]) * 3, step: line } : undefined;
          },
        },
      },
    });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    const id = jobs.spawn({ label: 'b', binary: 'pct', args: [] });
    const progress = await nextEvent(jobs, (event) => event.type === 'job_progress');
    expect(progress).toMatchObject({ percent: 100, step: 'progress: 40%' }); // 120 clamped
    expect(jobs.status(id)).toMatchObject({ Running: { percent: 100 } });
    expect(linesOf(events, id)).toContain('progress: 40%');
    jobs.cancel(id);
    await jobs.wait(id);
  });

  it('a progress function that throws is disabled for the job and reported once', async () => {
    const host = makeHost({ binaries: { bad: { path: fixture('lines.mjs'), progress: () => { throw new Error('parser bug'); } } } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    const terminal = await jobs.run({ label: 'b', binary: 'bad', args: ['3'] });
    expect(linesOf(events, terminal.job_id)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(linesOf(events, terminal.job_id, 'system')).toEqual([expect.stringContaining('parser bug')]);
    expect(terminal.type).toBe('job_completed');
  });
});

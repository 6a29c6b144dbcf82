import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../src/contracts/tasks.js';
import { TaskTracker, type InvalidTaskNotification } from '../../src/tasks/task-tracker.js';

function clock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

describe("TaskTracker: SynapseCLI's ActiveTasks rules", () => {
  it('keeps id, label, kind, progress, message, state, logs and times', () => {
    const time = clock();
    const tracker = new TaskTracker({ now: time.now });
    tracker.handleNotification('task.start', { id: 'dl', label: 'Downloading', kind: 'download' });
    time.advance(5);
    tracker.handleNotification('task.update', { id: 'dl', current: 50, total: 200, message: 'quarter' });
    tracker.handleNotification('task.log', { id: 'dl', line: 'connected' });
    expect(tracker.get('dl')).toEqual({
      id: 'dl',
      label: 'Downloading',
      kind: 'download',
      current: 50,
      total: 200,
      percent: 25,
      message: 'quarter',
      state: 'running',
      error: null,
      logs: ['connected'],
      startedAt: 1000,
      updatedAt: 1005,
    });
  });

  it('an update keeps the fields it does not carry, and percent follows the merged values', () => {
    const tracker = new TaskTracker();
    tracker.handleNotification('task.start', { id: 'x', label: 'X' });
    tracker.handleNotification('task.update', { id: 'x', current: 1, total: 4 });
    tracker.handleNotification('task.update', { id: 'x', message: 'still going' });
    tracker.handleNotification('task.update', { id: 'x', current: 3 });
    expect(tracker.get('x')).toMatchObject({ current: 3, total: 4, percent: 75, message: 'still going', kind: 'generic' });
    tracker.handleNotification('task.update', { id: 'x', current: 9 });
    expect(tracker.get('x')?.percent).toBe(100);
  });

  it('update, log and done for an unknown id are ignored, and say so', () => {
    const tracker = new TaskTracker();
    const ignored: [TaskEvent, string][] = [];
    tracker.on('ignored', (event, reason) => ignored.push([event, reason]));
    for (const method of ['task.update', 'task.log', 'task.done']) {
      expect(tracker.handleNotification(method, { id: 'ghost', line: 'l' }).kind).toBe('ignored');
    }
    expect(tracker.size).toBe(0);
    expect(ignored.map(([event, reason]) => [event.type, reason])).toEqual([
      ['update', 'task.update for unknown task "ghost" ignored'],
      ['log', 'task.log for unknown task "ghost" ignored'],
      ['done', 'task.done for unknown task "ghost" ignored'],
    ]);
  });

  it('a repeated start replaces label and kind and runs again, keeping progress, message, logs and place', () => {
    const time = clock();
    const tracker = new TaskTracker({ now: time.now });
    tracker.handleNotification('task.start', { id: 'a', label: 'A' });
    tracker.handleNotification('task.start', { id: 'b', label: 'B' });
    tracker.handleNotification('task.update', { id: 'a', current: 1, total: 2, message: 'half' });
    tracker.handleNotification('task.log', { id: 'a', line: 'one' });
    tracker.handleNotification('task.done', { id: 'a', error: 'boom' });
    time.advance(10);
    const outcome = tracker.handleNotification('task.start', { id: 'a', label: 'A again', kind: 'rebuild' });
    expect(outcome.kind).toBe('applied');
    expect(tracker.snapshot().map((task) => task.id)).toEqual(['a', 'b']);
    expect(tracker.size).toBe(2);
    expect(tracker.get('a')).toMatchObject({ label: 'A again', kind: 'rebuild', current: 1, total: 2, percent: 50, message: 'half', state: 'running', error: null, logs: ['one'], startedAt: 1010, updatedAt: 1010 });
  });

  it('a repeated start of a running task changes only its label and kind', () => {
    const tracker = new TaskTracker();
    tracker.handleNotification('task.start', { id: 'a', label: 'A', kind: 'download' });
    tracker.handleNotification('task.update', { id: 'a', current: 3, total: 4 });
    tracker.handleNotification('task.start', { id: 'a', label: 'A2' });
    expect(tracker.get('a')).toMatchObject({ label: 'A2', kind: 'generic', current: 3, total: 4, percent: 75, state: 'running' });
  });

  it('done without an error (absent, null or "") is done; with one it is failed', () => {
    const tracker = new TaskTracker();
    const cases: [unknown, string, string | null][] = [[undefined, 'done', null], [null, 'done', null], ['', 'done', null], ['disk full', 'failed', 'disk full']];
    for (const [index, [error, state, message]] of cases.entries()) {
      tracker.handleNotification('task.start', { id: `t${index}`, label: 'T' });
      tracker.handleNotification('task.done', error === undefined ? { id: `t${index}` } : { id: `t${index}`, error });
      expect(tracker.get(`t${index}`)).toMatchObject({ state, error: message });
    }
  });

  it('updates, logs and done after task.done are applied: a finished task stays finished', () => {
    const tracker = new TaskTracker();
    const ignored: string[] = [];
    tracker.on('ignored', (_event, reason) => ignored.push(reason));
    tracker.handleNotification('task.start', { id: 'a', label: 'A' });
    tracker.handleNotification('task.done', { id: 'a' });
    expect(tracker.handleNotification('task.update', { id: 'a', current: 1, total: 2, message: 'late' }).kind).toBe('applied');
    tracker.handleNotification('task.log', { id: 'a', line: 'after' });
    expect(tracker.get('a')).toMatchObject({ state: 'done', current: 1, total: 2, percent: 50, message: 'late', logs: ['after'], error: null });
    tracker.handleNotification('task.done', { id: 'a', error: 'late failure' });
    expect(tracker.get('a')).toMatchObject({ state: 'failed', error: 'late failure' });
    // a later done without an error clears it, as SynapseCLI's `done = true; error = None`
    tracker.handleNotification('task.done', { id: 'a' });
    expect(tracker.get('a')).toMatchObject({ state: 'done', error: null });
    expect(ignored).toEqual([]);
  });

  it("SynapseCLI's test extension's notifications leave the table its test expects", () => {
    const tracker = new TaskTracker();
    tracker.handleNotification('task.start', { id: 'demo-task', label: 'Demo task', kind: 'generic' });
    tracker.handleNotification('task.update', { id: 'demo-task', current: 1, total: 2, message: 'halfway' });
    tracker.handleNotification('task.done', { id: 'demo-task' });
    expect(tracker.snapshot()).toEqual([expect.objectContaining({ id: 'demo-task', label: 'Demo task', kind: 'generic', current: 1, total: 2, message: 'halfway', state: 'done', error: null, logs: [] })]);
  });

  it('keeps the last 8 log lines, oldest first', () => {
    const tracker = new TaskTracker();
    tracker.handleNotification('task.start', { id: 'a', label: 'A' });
    for (let n = 1; n <= 12; n++) tracker.handleNotification('task.log', { id: 'a', line: `line ${n}` });
    expect(tracker.get('a')?.logs).toEqual(['line 5', 'line 6', 'line 7', 'line 8', 'line 9', 'line 10', 'line 11', 'line 12']);
  });
});

describe('TaskTracker: invalid notifications are reported, never dropped or thrown', () => {
  it('reports `task_id` instead of `id` with the method, the reason and the params', () => {
    const tracker = new TaskTracker();
    const invalid: InvalidTaskNotification[] = [];
    tracker.on('invalid', (notification) => invalid.push(notification));
    const params = { task_id: 'dl', label: 'Downloading' };
    const outcome = tracker.handleNotification('task.start', params);
    expect(outcome).toEqual({ kind: 'invalid', invalid: { method: 'task.start', reason: "task.start missing 'id'", params } });
    expect(invalid).toEqual([{ method: 'task.start', reason: "task.start missing 'id'", params }]);
    expect(tracker.size).toBe(0);
  });

  it("reports every way a notification can break the contract, in the seed's words", () => {
    const tracker = new TaskTracker();
    const reasons: string[] = [];
    tracker.on('invalid', ({ reason }) => reasons.push(reason));
    tracker.handleNotification('task.update', null);
    tracker.handleNotification('task.start', { id: '', label: 'x' });
    tracker.handleNotification('task.start', { id: 'x', label: 'y', kind: 'alien' });
    tracker.handleNotification('task.log', { id: 'x' });
    tracker.handleNotification('task.done', { id: 'x', error: { nested: [1, true] } });
    tracker.handleNotification('task.bogus', { id: 'x' });
    expect(reasons).toEqual([
      'task.update params must be a JSON object',
      "task.start 'id' must be non-empty",
      "task.start unknown kind 'alien'",
      "task.log missing 'line'",
      'task.done \'error\' must be string or null, got {"nested":[1,true]}',
      'not a task method: task.bogus',
    ]);
  });

  it('absurdly nested params make an invalid event, not an exception', () => {
    const tracker = new TaskTracker();
    let deep: unknown = 'x';
    for (let n = 0; n < 200_000; n++) deep = [deep];
    const outcome = tracker.handleNotification('task.done', { id: 'x', error: deep });
    expect(outcome.kind).toBe('invalid');
  });
});

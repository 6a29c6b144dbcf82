import { describe, expect, it } from 'vitest';
import { TaskTracker } from '../../src/tasks/task-tracker.js';

function clock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

describe('TaskTracker: rendering and bounds', () => {
  it('emits change with a frozen snapshot; snapshot() is frozen and reused until something changes', () => {
    const tracker = new TaskTracker();
    const changes: string[] = [];
    tracker.on('change', (task, event) => changes.push(`${event.type}:${task.id}:${task.state}`));
    tracker.handleNotification('task.start', { id: 'a', label: 'A' });
    const first = tracker.snapshot();
    expect(tracker.snapshot()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(Object.isFrozen(first[0]?.logs)).toBe(true);
    tracker.handleNotification('task.log', { id: 'a', line: 'l' });
    tracker.handleNotification('task.done', { id: 'a' });
    const second = tracker.snapshot();
    expect(second).not.toBe(first);
    expect(first[0]).toMatchObject({ state: 'running', logs: [] });
    expect(second[0]).toMatchObject({ state: 'done', logs: ['l'] });
    expect(changes).toEqual(['start:a:running', 'log:a:running', 'done:a:done']);
  });

  it('caps the table: finished tasks are evicted oldest first, then the least recently updated running one', () => {
    const time = clock();
    const tracker = new TaskTracker({ maxTasks: 3, now: time.now });
    const evicted: string[] = [];
    tracker.on('evicted', (task) => evicted.push(task.id));
    for (const id of ['a', 'b', 'c']) {
      tracker.handleNotification('task.start', { id, label: id });
      time.advance(1);
    }
    tracker.handleNotification('task.done', { id: 'c' });
    time.advance(1);
    tracker.handleNotification('task.done', { id: 'b' });
    tracker.handleNotification('task.start', { id: 'd', label: 'd' });
    tracker.handleNotification('task.start', { id: 'e', label: 'e' });
    expect(evicted).toEqual(['c', 'b']);
    time.advance(1);
    tracker.handleNotification('task.update', { id: 'a', current: 1 });
    time.advance(1);
    tracker.handleNotification('task.start', { id: 'f', label: 'f' });
    expect(evicted).toEqual(['c', 'b', 'd']);
    expect(tracker.snapshot().map((task) => task.id)).toEqual(['a', 'e', 'f']);
  });

  it('a flood of starts from a hostile plugin never grows the table past the cap, nor any text past its limit', () => {
    const tracker = new TaskTracker({ maxTasks: 50, maxTextLength: 100 });
    const huge = 'é'.repeat(1_000_000);
    for (let n = 0; n < 5000; n++) {
      tracker.handleNotification('task.start', { id: `t${n}`, label: huge });
      tracker.handleNotification('task.update', { id: `t${n}`, message: huge });
      tracker.handleNotification('task.log', { id: `t${n}`, line: huge });
    }
    expect(tracker.size).toBe(50);
    const task = tracker.snapshot()[0];
    expect(task?.label).toHaveLength(100);
    expect(task?.label.endsWith('…')).toBe(true);
    expect(task?.message).toHaveLength(100);
    expect(task?.logs[0]).toHaveLength(100);
  });

  it('cuts text on a code point boundary', () => {
    const tracker = new TaskTracker({ maxTextLength: 4 });
    tracker.handleNotification('task.start', { id: 'a', label: 'ab😀cd' });
    expect(tracker.get('a')?.label).toBe('ab…');
  });

  it('refuses bad options by name', () => {
    expect(() => new TaskTracker({ maxTasks: 0 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', message: 'Expected `maxTasks` to be an integer from 1 and up, got `0` (number)' }));
    expect(() => new TaskTracker({ maxLogLines: 1.5 })).toThrow(/maxLogLines/);
  });
});

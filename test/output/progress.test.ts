import { describe, it, expect } from 'vitest';
import { clampPercent, classifyTaskLine, taskPercent } from '../../src/output/progress.js';

function notification(method: string, params: unknown, jsonrpc = true): string {
  return JSON.stringify(jsonrpc ? { jsonrpc: '2.0', method, params } : { method, params });
}

describe('classifyTaskLine: task notifications', () => {
  it.each([true, false])('recognises task.update (jsonrpc field present: %s)', (jsonrpc) => {
    const line = notification('task.update', { id: 't1', current: 3, total: 10, message: 'fetching' }, jsonrpc);
    expect(classifyTaskLine(line)).toEqual({
      kind: 'task',
      event: { type: 'update', id: 't1', current: 3, total: 10, message: 'fetching' },
    });
  });

  it.each([true, false])('recognises task.start (jsonrpc field present: %s)', (jsonrpc) => {
    const line = notification('task.start', { id: 't1', label: 'Download index', kind: 'download' }, jsonrpc);
    expect(classifyTaskLine(line)).toEqual({
      kind: 'task',
      event: { type: 'start', id: 't1', label: 'Download index', kind: 'download' },
    });
  });

  it.each([true, false])('recognises task.log (jsonrpc field present: %s)', (jsonrpc) => {
    const line = notification('task.log', { id: 't1', line: 'resolving deltas' }, jsonrpc);
    expect(classifyTaskLine(line)).toEqual({ kind: 'task', event: { type: 'log', id: 't1', line: 'resolving deltas' } });
  });

  it.each([true, false])('recognises task.done with and without an error (jsonrpc field present: %s)', (jsonrpc) => {
    expect(classifyTaskLine(notification('task.done', { id: 't1' }, jsonrpc))).toEqual({
      kind: 'task',
      event: { type: 'done', id: 't1' },
    });
    expect(classifyTaskLine(notification('task.done', { id: 't1', error: 'disk full' }, jsonrpc))).toEqual({
      kind: 'task',
      event: { type: 'done', id: 't1', error: 'disk full' },
    });
  });

  it('accepts leading whitespace before the object', () => {
    const line = notification('task.log', { id: 'a', line: 'x' });
    expect(classifyTaskLine(`   ${line}`)).toEqual({ kind: 'task', event: { type: 'log', id: 'a', line: 'x' } });
    expect(classifyTaskLine(`\t${line}`)).toEqual({ kind: 'task', event: { type: 'log', id: 'a', line: 'x' } });
  });

  it('accepts whitespace around keys and trailing whitespace', () => {
    const line = '{ "method" : "task.update" , "params" : { "id" : "t9" , "current" : 1 } }  ';
    expect(classifyTaskLine(line)).toEqual({ kind: 'task', event: { type: 'update', id: 't9', current: 1 } });
  });
});

describe('classifyTaskLine: other lines', () => {
  it.each([
    ['plain text', 'Compiling module 3/7'],
    ['an empty line', ''],
    ['whitespace only', '   \t'],
    ['text mentioning a task method', 'see "task.update" in the docs'],
    ['truncated JSON', '{"method":"task.update","params":{"id":"t1"'],
    ['JSON with trailing garbage', '{"method":"task.log","params":{"id":"t","line":"x"}} trailing'],
  ])('classifies %s as other', (_name, line) => {
    expect(classifyTaskLine(line)).toEqual({ kind: 'other' });
  });

  it.each([
    ['an array', '["task.update", {"id": "t1"}]'],
    ['a string', '"task.update"'],
    ['a number', '42'],
    ['null', 'null'],
  ])('classifies JSON that is not an object (%s) as other', (_name, line) => {
    expect(classifyTaskLine(line)).toEqual({ kind: 'other' });
  });

  it('classifies a notification of another method as other', () => {
    expect(classifyTaskLine('{"method":"other"}')).toEqual({ kind: 'other' });
    expect(classifyTaskLine(notification('other', { id: 't1', note: 'task.update' }))).toEqual({ kind: 'other' });
  });

  it('classifies a task-like but unknown method as other', () => {
    expect(classifyTaskLine(notification('task.bogus', { id: 't1' }))).toEqual({ kind: 'other' });
  });

  it('classifies an object whose method is not a string as other', () => {
    expect(classifyTaskLine('{"method":5,"params":{"id":"task.update"}}')).toEqual({ kind: 'other' });
  });
});

describe('classifyTaskLine: invalid task notifications', () => {
  it('reports task_id sent instead of id', () => {
    expect(classifyTaskLine(notification('task.update', { task_id: 't1', current: 1 }))).toEqual({
      kind: 'invalid',
      method: 'task.update',
      reason: "task.update missing 'id'",
    });
  });

  it('reports missing params', () => {
    expect(classifyTaskLine('{"jsonrpc":"2.0","method":"task.update"}')).toEqual({
      kind: 'invalid',
      method: 'task.update',
      reason: 'task.update params must be a JSON object',
    });
  });

  it('reports a task.log without a line', () => {
    expect(classifyTaskLine(notification('task.log', { id: 't1' }))).toEqual({
      kind: 'invalid',
      method: 'task.log',
      reason: "task.log missing 'line'",
    });
  });

  it('reports a task.start with an unknown kind', () => {
    expect(classifyTaskLine(notification('task.start', { id: 't1', label: 'x', kind: 'teleport' }))).toEqual({
      kind: 'invalid',
      method: 'task.start',
      reason: "task.start unknown kind 'teleport'",
    });
  });
});

describe('taskPercent', () => {
  it('is current / total as a rounded percentage', () => {
    expect(taskPercent(3, 10)).toBe(30);
    expect(taskPercent(1, 3)).toBe(33);
    expect(taskPercent(2, 3)).toBe(67);
    expect(taskPercent(0, 10)).toBe(0);
    expect(taskPercent(10, 10)).toBe(100);
    expect(taskPercent(1, 200)).toBe(1); // 0.5 rounds up
  });

  it('is null without a positive total', () => {
    expect(taskPercent(5, 0)).toBeNull();
    expect(taskPercent(5, undefined)).toBeNull();
    expect(taskPercent(5, -10)).toBeNull();
  });

  it('is null without a current value', () => {
    expect(taskPercent(undefined, 10)).toBeNull();
  });

  it('clamps current > total to 100', () => {
    expect(taskPercent(15, 10)).toBe(100);
    expect(taskPercent(Number.MAX_SAFE_INTEGER, 1)).toBe(100);
  });
});

describe('clampPercent', () => {
  it('rounds to the nearest integer', () => {
    expect(clampPercent(49.4)).toBe(49);
    expect(clampPercent(49.5)).toBe(50);
    expect(clampPercent(0.2)).toBe(0);
    expect(clampPercent(99.6)).toBe(100);
  });

  it('clamps into 0–100', () => {
    expect(clampPercent(-5)).toBe(0);
    expect(clampPercent(150)).toBe(100);
    expect(clampPercent(100.4)).toBe(100);
  });

  it('turns non-finite and missing values into null', () => {
    expect(clampPercent(Number.NaN)).toBeNull();
    expect(clampPercent(Number.POSITIVE_INFINITY)).toBeNull();
    expect(clampPercent(Number.NEGATIVE_INFINITY)).toBeNull();
    expect(clampPercent(null)).toBeNull();
    expect(clampPercent(undefined)).toBeNull();
  });
});

/**
 * One row of the task table: the mutable record the tracker keeps, and the
 * frozen snapshot a UI renders. Records are only changed through the
 * functions here, which also enforce the size limits on every text field
 * (a hostile plugin could otherwise park a 4 MiB label in each of 256 rows).
 */
import type { TaskEventOf, TaskKind } from '../contracts/tasks.js';
import { taskPercent } from '../output/progress.js';
import { capText } from '../util/cap-text.js';

/** Where a task is: still going, finished, or finished with an error. */
export type TaskState = 'running' | 'done' | 'failed';

/** One task as a UI renders it. Frozen: a change produces a new object, so a UI can compare by identity. */
export interface TaskSnapshot {
  readonly id: string;
  readonly label: string;
  readonly kind: TaskKind;
  /** Units done, as last reported; `null` until a `task.update` carries one. */
  readonly current: number | null;
  readonly total: number | null;
  /** `current / total` clamped to 0–100, `null` without a positive total. */
  readonly percent: number | null;
  /** The last `task.update` message. */
  readonly message: string | null;
  readonly state: TaskState;
  /** Set when `state` is `failed`: the plugin's error text. */
  readonly error: string | null;
  /** The last log lines, oldest first (SynapseCLI keeps 8). */
  readonly logs: readonly string[];
  /** Milliseconds since the epoch (the tracker's clock) of the latest `task.start`. */
  readonly startedAt: number;
  /** Milliseconds since the epoch of the latest change. */
  readonly updatedAt: number;
}

/** Size limits applied to every record. */
export interface TaskLimits {
  readonly maxLogLines: number;
  readonly maxTextLength: number;
}

/** The tracker's private, mutable row; `frozen` caches the snapshot until the next change. */
export interface TaskRecord {
  row: { -readonly [K in keyof TaskSnapshot]: K extends 'logs' ? string[] : TaskSnapshot[K] };
  frozen: TaskSnapshot | null;
}

/** A fresh record for the first `task.start` of an id. */
export function startRecord(event: TaskEventOf<'start'>, now: number, limits: TaskLimits): TaskRecord {
  return {
    row: {
      id: event.id,
      label: capText(event.label, limits.maxTextLength),
      kind: event.kind,
      current: null,
      total: null,
      percent: null,
      message: null,
      state: 'running',
      error: null,
      logs: [],
      startedAt: now,
      updatedAt: now,
    },
    frozen: null,
  };
}

/**
 * A repeated `task.start`, SynapseCLI's way (`ActiveTasks`): label and kind
 * replaced, running again (a previous error cleared), progress, message and
 * logs kept.
 */
export function restartRecord(record: TaskRecord, event: TaskEventOf<'start'>, now: number, limits: TaskLimits): void {
  const row = record.row;
  row.label = capText(event.label, limits.maxTextLength);
  row.kind = event.kind;
  row.state = 'running';
  row.error = null;
  row.startedAt = now;
  touch(record, now);
}

/** Applies a `task.update`: fields it carries replace the old ones, absent fields keep their values. */
export function applyUpdate(record: TaskRecord, event: TaskEventOf<'update'>, now: number, limits: TaskLimits): void {
  const row = record.row;
  if (event.current !== undefined) row.current = event.current;
  if (event.total !== undefined) row.total = event.total;
  if (event.message !== undefined) row.message = capText(event.message, limits.maxTextLength);
  row.percent = taskPercent(row.current ?? undefined, row.total ?? undefined);
  touch(record, now);
}

/** Appends a `task.log` line, keeping only the last `maxLogLines`. */
export function applyLog(record: TaskRecord, event: TaskEventOf<'log'>, now: number, limits: TaskLimits): void {
  const logs = record.row.logs;
  logs.push(capText(event.line, limits.maxTextLength));
  if (logs.length > limits.maxLogLines) logs.splice(0, logs.length - limits.maxLogLines);
  touch(record, now);
}

/** Applies a `task.done`: `done`, or `failed` with the plugin's error (a later `task.done` without one clears it). */
export function applyDone(record: TaskRecord, event: TaskEventOf<'done'>, now: number, limits: TaskLimits): void {
  const row = record.row;
  row.state = event.error === undefined ? 'done' : 'failed';
  row.error = event.error === undefined ? null : capText(event.error, limits.maxTextLength);
  touch(record, now);
}

/** The record's frozen snapshot, built once per change. */
export function snapshotOf(record: TaskRecord): TaskSnapshot {
  record.frozen ??= Object.freeze({ ...record.row, logs: Object.freeze([...record.row.logs]) });
  return record.frozen;
}

function touch(record: TaskRecord, now: number): void {
  record.row.updatedAt = now;
  record.frozen = null;
}

/**
 * The table of a plugin's long-running tasks, fed by its `task.*` JSON-RPC
 * notifications (`seeds/agent-engine-tasks.rs`), for a UI to render.
 *
 * The seed defines only the notifications; the table follows SynapseCLI's
 * `ActiveTasks` (`src/extensions/active_tasks.rs` at a9e1b60), the runtime
 * that consumes them: `task.update` / `task.log` / `task.done` for an unknown
 * id are ignored; a repeated `task.start` replaces the label and kind and
 * makes the task running again, keeping its progress, message, logs and
 * place; updates, logs and a `task.done` after `task.done` are still applied;
 * the last 8 log lines are kept.
 *
 * jobhost's own additions, not SynapseCLI's: a cap on rows (`maxTasks`) and on
 * every text (`maxTextLength`), so a hostile plugin cannot grow the host's
 * memory; and nothing is dropped silently — an ignored event is announced as
 * `ignored`, a notification that fails to parse as `invalid` (a plugin that
 * sends `task_id` instead of `id` learns why its tasks never show). Nor is
 * anything a plugin sends thrown at the caller, so a reader loop can feed it
 * blindly.
 */
import { EventEmitter } from 'eventemitter3';
import { parseTaskEvent, type TaskEvent } from '../contracts/tasks.js';
import { readOptions } from '../options/reader.js';
import { applyDone, applyLog, applyUpdate, restartRecord, snapshotOf, startRecord, type TaskLimits, type TaskRecord, type TaskSnapshot } from './task-record.js';

/** A `task.*` notification the parser refused, with the parser's reason and the params as received. */
export interface InvalidTaskNotification {
  readonly method: string;
  readonly reason: string;
  readonly params: unknown;
}

/** What became of one notification, for callers that mirror tasks elsewhere (the RPC plugin's job events). */
export type TaskOutcome =
  | { readonly kind: 'applied'; readonly event: TaskEvent; readonly task: TaskSnapshot }
  | { readonly kind: 'ignored'; readonly event: TaskEvent; readonly reason: string }
  | { readonly kind: 'invalid'; readonly invalid: InvalidTaskNotification };

/** Events of a {@link TaskTracker}. Listeners run synchronously, after the table has changed. */
export interface TaskTrackerEvents {
  /** A task was started, started again, updated, logged to or finished. */
  change: [task: TaskSnapshot, event: TaskEvent];
  /** A valid event the rules ignore: an update, log or done for an unknown id. */
  ignored: [event: TaskEvent, reason: string];
  /** A notification that failed to parse. */
  invalid: [notification: InvalidTaskNotification];
  /** A task left the table to make room (see `maxTasks`). */
  evicted: [task: TaskSnapshot];
}

/** Limits and clock of a {@link TaskTracker}. */
export interface TaskTrackerOptions {
  /** Rows kept (jobhost's limit; SynapseCLI has none). At the cap a new task evicts the oldest finished one, or else the least recently updated running one. @default 256 */
  readonly maxTasks?: number;
  /** Log lines kept per task. @default 8 (SynapseCLI's) */
  readonly maxLogLines?: number;
  /** Longest label, message, log line or error kept, in UTF-16 units; longer ones are cut and end in `…` (jobhost's limit; SynapseCLI has none). @default 1024 */
  readonly maxTextLength?: number;
  /** Clock for `startedAt` / `updatedAt`. @default Date.now */
  readonly now?: () => number;
}

/** Keeps the task table; see the module comment for its rules. */
export class TaskTracker extends EventEmitter<TaskTrackerEvents> {
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #limits: TaskLimits;
  readonly #maxTasks: number;
  readonly #now: () => number;
  #snapshot: readonly TaskSnapshot[] | null = null;

  constructor(options: TaskTrackerOptions = {}) {
    super();
    const resolved = readOptions(
      options,
      { what: 'TaskTracker options' },
      (read) => ({
        maxTasks: read.integer('maxTasks', 256, { min: 1 }),
        maxLogLines: read.integer('maxLogLines', 8, { min: 0 }),
        maxTextLength: read.integer('maxTextLength', 1024, { min: 2 }),
        now: read.callback<() => number>('now') ?? Date.now,
      }),
      true,
    );
    this.#maxTasks = resolved.maxTasks;
    this.#limits = { maxLogLines: resolved.maxLogLines, maxTextLength: resolved.maxTextLength };
    this.#now = resolved.now;
  }

  /**
   * Parses and applies one `task.*` notification. Nothing a plugin sends
   * makes it throw: a refused notification becomes an `invalid` event (and
   * outcome) carrying the parser's reason, word for word the seed's. (An
   * exception thrown by one of your own listeners does propagate.)
   */
  handleNotification(method: string, params: unknown): TaskOutcome {
    let event: TaskEvent;
    try {
      event = parseTaskEvent(method, params);
    } catch (error) {
      // Also catches what is not a TaskNotificationError, e.g. a RangeError from absurdly nested params.
      const invalid: InvalidTaskNotification = { method, reason: error instanceof Error ? error.message : String(error), params };
      this.emit('invalid', invalid);
      return { kind: 'invalid', invalid };
    }
    return this.apply(event);
  }

  /** Applies an already parsed event by the rules in the module comment. */
  apply(event: TaskEvent): TaskOutcome {
    const now = this.#now();
    let record = this.#tasks.get(event.id);
    if (event.type === 'start') {
      if (record !== undefined) {
        restartRecord(record, event, now, this.#limits);
      } else {
        this.#makeRoom();
        record = startRecord(event, now, this.#limits);
        this.#tasks.set(event.id, record);
      }
    } else if (record === undefined) {
      return this.#ignore(event, `${methodOf(event)} for unknown task ${JSON.stringify(event.id)} ignored`);
    } else if (event.type === 'update') {
      applyUpdate(record, event, now, this.#limits);
    } else if (event.type === 'log') {
      applyLog(record, event, now, this.#limits);
    } else {
      applyDone(record, event, now, this.#limits);
    }
    this.#snapshot = null;
    const task = snapshotOf(record);
    this.emit('change', task, event);
    return { kind: 'applied', event, task };
  }

  /** One task's current snapshot. */
  get(id: string): TaskSnapshot | undefined {
    const record = this.#tasks.get(id);
    return record === undefined ? undefined : snapshotOf(record);
  }

  /** Every task, in the order of their first start. Frozen, and the same array until something changes, so rendering often is cheap. */
  snapshot(): readonly TaskSnapshot[] {
    this.#snapshot ??= Object.freeze([...this.#tasks.values()].map(snapshotOf));
    return this.#snapshot;
  }

  /** Number of tasks in the table. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Forgets every task (a UI's "clear"); later events for them count as unknown. */
  clear(): void {
    this.#tasks.clear();
    this.#snapshot = null;
  }

  #ignore(event: TaskEvent, reason: string): TaskOutcome {
    this.emit('ignored', event, reason);
    return { kind: 'ignored', event, reason };
  }

  /** Evicts one row when the table is full: the oldest finished, else the least recently updated. */
  #makeRoom(): void {
    if (this.#tasks.size < this.#maxTasks) return;
    let victim: TaskRecord | undefined;
    for (const record of this.#tasks.values()) {
      const finished = record.row.state !== 'running';
      const best = victim?.row;
      if (best === undefined) victim = record;
      else if (finished !== (best.state !== 'running')) {
        if (finished) victim = record;
      } else if (record.row.updatedAt < best.updatedAt) victim = record;
    }
    if (victim === undefined) return;
    this.#tasks.delete(victim.row.id);
    this.emit('evicted', snapshotOf(victim));
  }
}

function methodOf(event: TaskEvent): string {
  return `task.${event.type}`;
}

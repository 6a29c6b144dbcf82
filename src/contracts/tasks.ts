/**
 * Long-running task notifications of the agent CLI's extension runtime
 * (`seeds/agent-engine-tasks.rs`): a plugin pushes `task.start`,
 * `task.update`, `task.log` and `task.done` as JSON-RPC notifications.
 *
 * The origin parses these by hand, not with serde, and is more lenient than
 * its documented shapes (`kind: "other"`, a fractional `current` quietly
 * dropped, `error: ""` meaning success). {@link parseTaskEvent} reproduces
 * those rules and their messages exactly and is the authority; the
 * `Task*Params` schemas describe what a well-behaved plugin sends.
 */
import { JobhostError } from '../errors.js';
import * as z from 'zod';
import { ABORT, omitAbsent, str, u64 } from './wire.js';

/** How a task is rendered. Serialised in snake_case. */
export const TaskKind = z.enum(['download', 'rebuild', 'generic']);
export type TaskKind = z.output<typeof TaskKind>;

/** The four notification methods, in lifecycle order. */
export const TASK_METHODS = ['task.start', 'task.update', 'task.log', 'task.done'] as const;
/** One of {@link TASK_METHODS}. */
export type TaskMethod = (typeof TASK_METHODS)[number];

/** True for the four `task.*` notifications, so a dispatcher can route them to {@link parseTaskEvent}. */
export function isTaskMethod(method: string): method is TaskMethod {
  return (TASK_METHODS as readonly string[]).includes(method);
}

/**
 * A parsed task notification. Narrow on `type`. Optional fields are absent
 * (never `undefined`-valued) when the plugin did not send a usable value.
 */
export type TaskEvent =
  | { type: 'start'; id: string; label: string; kind: TaskKind }
  | { type: 'update'; id: string; current?: number; total?: number; message?: string }
  | { type: 'log'; id: string; line: string }
  | { type: 'done'; id: string; error?: string };

/** One {@link TaskEvent} variant by its tag, e.g. `TaskEventOf<'update'>`. */
export type TaskEventOf<T extends TaskEvent['type']> = Extract<TaskEvent, { type: T }>;

/** The task an event belongs to (Rust's `TaskEvent::id`). */
export function taskEventId(event: TaskEvent): string {
  return event.id;
}

/**
 * A `task.*` notification that {@link parseTaskEvent} refuses. `message` is
 * the origin's message word for word, so logs read the same on both sides.
 */
export class TaskNotificationError extends JobhostError<'ERR_TASK_NOTIFICATION'> {
  static override readonly kind: string = 'TaskNotificationError';
  /** The JSON-RPC method of the refused notification. */
  readonly method: string;

  constructor(method: string, message: string) {
    super('ERR_TASK_NOTIFICATION', message);
    this.method = method;
  }
}


type JsonObject = Record<string, unknown>;

/** serde_json's `Map::get`: own keys only, so `toString` and friends are never found. */
function get(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** serde_json's `Value::as_str`: strings only, anything else is "nothing". */
function asStr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * serde_json's `Value::as_u64`: a JSON integer ≥ 0, anything else is
 * "nothing". `-0` is a float to serde_json and is refused here too. Known
 * gaps: `50.0` and `5e1` arrive from `JSON.parse` as `50` and are accepted
 * (serde_json refuses them as floats), and integers above 2^53−1, which a
 * JavaScript number cannot hold exactly, are dropped (serde_json keeps them up
 * to 2^64−1).
 */
function asU64(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && !Object.is(value, -0)
    ? value
    : undefined;
}

/** UTF-8 byte order, which is code point order (JavaScript's `<` compares UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < x.length && i < y.length; i++) {
    if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return x.length - y.length;
}

/**
 * serde_json's `Display` for a `Value`: compact JSON with object keys sorted
 * (its default map is a `BTreeMap`). Numbers print the JavaScript way, so a
 * float such as `1.0` shows as `1` where Rust shows `1.0`.
 */
function display(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(display).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => byCodePoint(a, b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${display(item)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? 'null';
}

function start(object: JsonObject, id: string, fail: (message: string) => Error): TaskEvent {
  const label = asStr(get(object, 'label'));
  if (label === undefined) throw fail("task.start missing 'label'");
  const kind = asStr(get(object, 'kind'));
  if (kind === undefined || kind === 'generic' || kind === 'other') return { type: 'start', id, label, kind: 'generic' };
  if (kind === 'download' || kind === 'rebuild') return { type: 'start', id, label, kind };
  throw fail(`task.start unknown kind '${kind}'`);
}

function update(object: JsonObject, id: string): TaskEvent {
  const event: TaskEventOf<'update'> = { type: 'update', id };
  const current = asU64(get(object, 'current'));
  const total = asU64(get(object, 'total'));
  const message = asStr(get(object, 'message'));
  if (current !== undefined) event.current = current;
  if (total !== undefined) event.total = total;
  if (message !== undefined) event.message = message;
  return event;
}

/** {@link display}, or a placeholder for a value nested too deeply to print: the refusal must stay a TaskNotificationError. */
function displayBounded(value: unknown): string {
  try {
    return display(value);
  } catch {
    return '<a value nested too deeply to show>';
  }
}

function done(object: JsonObject, id: string, fail: (message: string) => Error): TaskEvent {
  const error = get(object, 'error');
  if (error === undefined || error === null || error === '') return { type: 'done', id };
  if (typeof error === 'string') return { type: 'done', id, error };
  throw fail(`task.done 'error' must be string or null, got ${displayBounded(error)}`);
}

/**
 * Parse a `task.*` notification exactly as the origin's `parse_task_event`
 * does, throwing a {@link TaskNotificationError} with its message. The `id` is
 * checked before the method, so `task.bogus` without an id reports the
 * missing id. `params` is expected to be JSON data (from `JSON.parse`); the
 * framing layer, not this function, refuses lone surrogates as serde_json does.
 */
export function parseTaskEvent(method: string, params: unknown): TaskEvent {
  const fail = (message: string) => new TaskNotificationError(method, message);
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw fail(`${method} params must be a JSON object`);
  }
  const object = params as JsonObject;
  const id = asStr(get(object, 'id'));
  if (id === undefined) throw fail(`${method} missing 'id'`);
  if (id === '') throw fail(`${method} 'id' must be non-empty`);
  switch (method) {
    case 'task.start':
      return start(object, id, fail);
    case 'task.update':
      return update(object, id);
    case 'task.log': {
      const line = asStr(get(object, 'line'));
      if (line === undefined) throw fail("task.log missing 'line'");
      return { type: 'log', id, line };
    }
    case 'task.done':
      return done(object, id, fail);
    default:
      throw fail(`not a task method: ${method}`);
  }
}

/**
 * A task id as a well-behaved plugin sends it: a non-empty string. A refine,
 * not `.min(1)`: zod runs a length check even after the type check failed
 * (an array has a length too), which would make two issues of one fault.
 */
const TaskId = str.refine((id) => id.length > 0, { ...ABORT, message: 'a task id must not be empty' }).meta({ minLength: 1 });

/** `task.start` params as a well-behaved plugin sends them. */
export const TaskStartParams = z.object({
  id: TaskId,
  /** Shown to the user. */
  label: str,
  /** @default "generic" (the parser also reads `"other"` and any non-string as generic) */
  kind: TaskKind.default('generic'),
});
export type TaskStartParams = z.output<typeof TaskStartParams>;
/** `task.start` params as a plugin may write them: `kind` may be left out. */
export type TaskStartParamsInput = z.input<typeof TaskStartParams>;

/** `task.update` params as a well-behaved plugin sends them: any subset of progress fields. */
export const TaskUpdateParams = z
  .object({
    id: TaskId,
    /** Units done so far. */
    current: u64.optional(),
    /** Units in all, when known. */
    total: u64.optional(),
    /** Short status text. */
    message: str.optional(),
  })
  .overwrite(omitAbsent);
export type TaskUpdateParams = z.output<typeof TaskUpdateParams>;

/** `task.log` params as a well-behaved plugin sends them: one line of output. */
export const TaskLogParams = z.object({
  id: TaskId,
  line: str,
});
export type TaskLogParams = z.output<typeof TaskLogParams>;

/** `task.done` params as a well-behaved plugin sends them: `error` absent, `null` or `""` means success. */
export const TaskDoneParams = z
  .object({
    id: TaskId,
    error: str.nullish(),
  })
  .overwrite(omitAbsent);
export type TaskDoneParams = z.output<typeof TaskDoneParams>;

/** Method → params schema, for JSON Schema export and for validating what a plugin sends. */
export const TASK_PARAMS = {
  'task.start': TaskStartParams,
  'task.update': TaskUpdateParams,
  'task.log': TaskLogParams,
  'task.done': TaskDoneParams,
} as const satisfies Record<TaskMethod, z.ZodType>;

/**
 * Where `job_progress` comes from: `task.*` JSON-RPC notifications a job
 * prints on stdout, or a host-supplied function from an output line.
 */
import { isTaskMethod, parseTaskEvent, type TaskEvent } from '../contracts/tasks.js';

/** A progress reading; `percent` is clamped to 0–100 before it goes on the wire. */
export interface ProgressUpdate {
  readonly percent?: number | null;
  readonly step?: string | null;
}

/** Maps one output line to progress, or `undefined` when the line carries none. The line is still logged. */
export type ProgressParser = (line: string, stream: 'stdout' | 'stderr') => ProgressUpdate | undefined;

/** Clamps and rounds to the wire's `u8` percent; non-finite values become `null`. */
export function clampPercent(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.min(100, Math.max(0, Math.round(value)));
}

/** `current / total` as a percentage, or `null` without a positive total. */
export function taskPercent(current: number | undefined, total: number | undefined): number | null {
  if (current === undefined || total === undefined || total <= 0) return null;
  return clampPercent((current / total) * 100);
}

/** What a stdout line turned out to be when the binary speaks task notifications. */
export type TaskLine =
  | { readonly kind: 'task'; readonly event: TaskEvent }
  | { readonly kind: 'invalid'; readonly method: string; readonly reason: string }
  | { readonly kind: 'other' };

const OTHER: TaskLine = { kind: 'other' };

/**
 * Recognises a `task.*` JSON-RPC notification on one line. Anything that is
 * not a JSON object naming a `task.*` method is `other` (logged as output);
 * a `task.*` notification that breaks the contract is `invalid` with the
 * parser's reason, so the user learns why (for example `task_id` sent instead
 * of `id`).
 */
export function classifyTaskLine(line: string): TaskLine {
  const first = line.charCodeAt(0) === 123 ? 0 : line.search(/\S/);
  if (first === -1 || line.charCodeAt(first) !== 123 /* { */ || !line.includes('"task.')) return OTHER;
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return OTHER;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return OTHER;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (typeof method !== 'string' || !isTaskMethod(method)) return OTHER;
  try {
    return { kind: 'task', event: parseTaskEvent(method, params) };
  } catch (error) {
    return { kind: 'invalid', method, reason: error instanceof Error ? error.message : String(error) };
  }
}

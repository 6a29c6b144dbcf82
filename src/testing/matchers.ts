/**
 * vitest matchers over a list of job events. Each failure message carries the
 * event timeline, so a red test explains itself.
 */
import type { JobEvent } from '../contracts/jobs.js';
import { isTerminalEvent } from '../contracts/jobs.js';
import { formatTimeline } from './timeline.js';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function events(received: unknown): JobEvent[] {
  if (!Array.isArray(received)) throw new TypeError('expected an array of JobEvents (for example from collectEvents or drainEvents)');
  return received as JobEvent[];
}

function result(pass: boolean, expectation: string, list: readonly JobEvent[]): MatcherResult {
  return { pass, message: () => `expected the events ${pass ? 'not ' : ''}${expectation}; timeline:\n${formatTimeline(list)}` };
}

/** Matchers to pass to `expect.extend`; `jobhostTest` installs them. */
export const jobhostMatchers = {
  /** Exactly one terminal event, last, and it is `job_completed` with `code` (or `job_failed` with `code` when non-zero). */
  toCompleteWith(received: unknown, code: number): MatcherResult {
    const list = events(received);
    const terminals = list.filter(isTerminalEvent);
    const last = list.at(-1);
    const once = terminals.length === 1 && last !== undefined && last === terminals[0];
    const ended =
      once && ((last.type === 'job_completed' && last.exit_code === code) || (last.type === 'job_failed' && code !== 0 && last.exit_code === code));
    return result(ended, `to end with exactly one terminal event with exit code ${code}`, list);
  },
  /**
   * Some `job_log_line` equals `line` (a string) or matches it (a RegExp);
   * `stream` narrows where. A failure quotes a string line (`"hello "`).
   */
  toHaveLogged(received: unknown, line: string | RegExp, stream?: string): MatcherResult {
    const list = events(received);
    const found = list.some(
      (event) => event.type === 'job_log_line' && (stream === undefined || event.stream === stream) && (typeof line === 'string' ? event.line === line : line.test(event.line)),
    );
    // A string is quoted JSON-style, so trailing spaces, tabs and an empty line are visible.
    const expected = typeof line === 'string' ? JSON.stringify(line) : String(line);
    return result(found, `to contain a log line ${expected}${stream === undefined ? '' : ` on ${stream}`}`, list);
  },
  /** At least one `job_progress`; with `percent`, one that reached at least it. */
  toHaveProgressed(received: unknown, percent?: number): MatcherResult {
    const list = events(received);
    const found = list.some((event) => event.type === 'job_progress' && (percent === undefined || (event.percent ?? -1) >= percent));
    return result(found, percent === undefined ? 'to report progress' : `to report progress of at least ${percent}%`, list);
  },
};

/** Types of the matchers, for `declare module 'vitest'` augmentation. */
export interface JobhostMatchers<R = unknown> {
  toCompleteWith(code: number): R;
  toHaveLogged(line: string | RegExp, stream?: string): R;
  toHaveProgressed(percent?: number): R;
}

/**
 * Waiting on a handle without fixed sleeps: resolve on the event itself, with
 * a generous timeout whose error shows what did arrive.
 */
import type { JobEvent, JobId, TerminalJobEvent } from '../contracts/jobs.js';
import { isTerminalEvent } from '../contracts/jobs.js';
import type { JobHandle } from '../host/job-handle.js';
import { formatTimeline } from './timeline.js';

/** Default time a wait may take before it fails: generous, for loaded CI machines. */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * The error every wait rejects with when it runs out of time: what it waited
 * for, then the timeline of the events the handle received meanwhile.
 */
function timedOut(what: string, seen: readonly JobEvent[]): Error {
  return new Error(`${what}. Events seen meanwhile:\n${formatTimeline(seen)}`);
}

/**
 * Resolves with the first event from now on that matches `predicate`; after
 * `timeoutMs` rejects with the events seen meanwhile.
 */
export function waitForEvent(handle: JobHandle, predicate: (event: JobEvent) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<JobEvent> {
  return new Promise((resolve, reject) => {
    const seen: JobEvent[] = [];
    const timer = setTimeout(() => {
      stop();
      reject(timedOut(`No matching event within ${timeoutMs} ms`, seen));
    }, timeoutMs);
    const stop = handle.onEvent((event) => {
      seen.push(event);
      if (!predicate(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

/**
 * Resolves with the job's terminal event (it is also retained, so a job that
 * already ended resolves at once); after `timeoutMs` rejects with the job's
 * status and the events the handle received meanwhile.
 */
export async function waitForEnd(handle: JobHandle, id: JobId, timeoutMs = DEFAULT_WAIT_MS): Promise<TerminalJobEvent> {
  const seen: JobEvent[] = [];
  const stop = handle.onEvent((event) => seen.push(event));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(`Job ${id} did not end within ${timeoutMs} ms (status: ${JSON.stringify(handle.status(id))})`, seen)), timeoutMs);
  });
  try {
    return await Promise.race([handle.wait(id), timeout]);
  } finally {
    clearTimeout(timer);
    stop();
  }
}

/**
 * Collects the handle's events from now until `quietMs` pass without one (or
 * every given job has ended, when `jobs` is set, which needs no quiet period);
 * after `timeoutMs` rejects with the events collected so far.
 */
export function collectEvents(handle: JobHandle, options: { readonly quietMs?: number; readonly jobs?: readonly JobId[]; readonly timeoutMs?: number } = {}): Promise<JobEvent[]> {
  const { quietMs = 200, jobs, timeoutMs = DEFAULT_WAIT_MS } = options;
  return new Promise((resolve, reject) => {
    const events: JobEvent[] = [];
    const open = new Set(jobs ?? []);
    let quiet: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(quiet);
      clearTimeout(deadline);
      stop();
      resolve(events);
    };
    const deadline = setTimeout(() => {
      stop();
      reject(timedOut(jobs === undefined ? `Events did not settle within ${timeoutMs} ms` : `Jobs ${[...open].join(', ')} did not end within ${timeoutMs} ms`, events));
    }, timeoutMs);
    const stop = handle.onEvent((event: JobEvent): void => {
      events.push(event);
      if (jobs !== undefined) {
        if (isTerminalEvent(event)) open.delete(event.job_id);
        if (open.size === 0) finish();
        return;
      }
      clearTimeout(quiet);
      quiet = setTimeout(finish, quietMs);
    });
    if (jobs === undefined) quiet = setTimeout(finish, quietMs);
    else if (open.size === 0) finish();
  });
}

/** The events of one job, in order. */
export function eventsOf(events: readonly JobEvent[], id: JobId): JobEvent[] {
  return events.filter((event) => event.job_id === id);
}

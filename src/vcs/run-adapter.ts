/**
 * One adapter process for one call, run through the JobHost.
 *
 * The process is started with `host.attach`, so it obeys the host's
 * allow-list, cwd/env policy, scheduler, timeouts and process-group kill, and
 * shows up in the owner's job list like any other job. This module only
 * observes: the first stdout line (bounded), the tail of stderr (from the
 * job's own `job_log_line` events), whether the process ever started, and
 * why the client stopped it. Turning that into a result or an error is
 * `interpret.ts`'s job.
 */
import type { JobEvent, JobSpawnRequestInput, TerminalJobEvent } from '../contracts/jobs.js';
import { JobHostError } from '../errors.js';
import type { AttachedJob, JobHost } from '../host/job-host.js';
import { describeReason, VcsAdapterError } from './errors.js';
import { FirstLineCollector } from './first-line.js';
import { StderrTail } from './stderr-tail.js';

/** How a client runs its adapter: what every call of one client shares. */
export interface CallConfig {
  readonly host: JobHost;
  readonly owner: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly cwd: string | undefined;
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly stderrTailChars: number;
}

/** One call: the client's config with this call's `cwd` and `timeoutMs` filled in, and what to send. */
export interface AdapterInvocation extends CallConfig {
  readonly method: string;
  /** The request as one JSON line, without its newline. */
  readonly requestLine: string;
  readonly signal: AbortSignal | undefined;
}

/** Why the client itself stopped the job, if it did. */
export type StopReason = 'timeout' | 'aborted' | 'too-large';

/** What was observed of one finished call. */
export interface AdapterOutcome {
  /** The JobHost job that ran the call. */
  readonly jobId: string;
  /** How the job ended, after its whole process group was gone. */
  readonly terminal: TerminalJobEvent;
  /** False when the process never ran (spawn failure, or cancelled while pending). */
  readonly started: boolean;
  /** The first stdout line (see `FirstLineCollector.line`). */
  readonly line: Buffer | null;
  /** The end of stderr, from the job's own log-line events. */
  readonly stderr: StderrTail;
  /** Set when the client stopped the job itself, and why. */
  readonly stop: StopReason | null;
}

function request(call: AdapterInvocation): JobSpawnRequestInput {
  return {
    label: `vcs ${call.binary} ${call.method}`,
    binary: call.binary,
    args: [...call.args],
    ...(call.cwd === undefined ? {} : { cwd: call.cwd }),
    ...(call.env === undefined ? {} : { env: { ...call.env } }),
    // A backstop only: the client's own timer (started earlier, at the call) fires first.
    timeout_secs: Math.ceil(call.timeoutMs / 1000) + 1,
  };
}

/**
 * Runs the adapter once and resolves when its job has ended (every process
 * of its group gone). Throws `ERR_VCS_POLICY` when the host refuses the
 * request; every other outcome is resolved, not thrown.
 */
export async function runAdapter(call: AdapterInvocation): Promise<AdapterOutcome> {
  const stderr = new StderrTail(call.stderrTailChars);
  const firstLine = new FirstLineCollector(call.maxResponseBytes);
  let started = false;
  let stop: StopReason | null = null;
  let attached: AttachedJob | null = null;

  // the job's own events, on attach's host-side channel: a plugin sharing the owner cannot forge or silence them
  const onEvent = (event: JobEvent): void => {
    if (event.type === 'job_started') started = true;
    else if (event.type === 'job_log_line' && event.stream === 'stderr') stderr.push(event.line);
  };
  const stopWith = (kind: StopReason, reason: string): void => {
    if (stop !== null || attached === null) return;
    if (attached.cancel(reason) || kind === 'too-large') stop = kind;
  };

  try {
    attached = call.host.attach(call.owner, request(call), {
      input: `${call.requestLine}\n`,
      onEvent,
      onStdout: (chunk) => {
        if (!firstLine.push(chunk) && firstLine.overflowed) {
          stopWith('too-large', `response line exceeds ${call.maxResponseBytes} bytes`);
        }
      },
    });
  } catch (error) {
    if (!(error instanceof JobHostError)) throw error;
    throw new VcsAdapterError('ERR_VCS_POLICY', `the JobHost refused to run VCS adapter "${call.binary}" for ${call.method}: ${error.message}`, {
      adapter: call.binary,
      method: call.method,
      cause: error,
      details: { hostCode: error.code },
    });
  }

  const signal = call.signal;
  const onAbort = (): void => stopWith('aborted', `aborted: ${describeReason(signal?.reason)}`);
  const timer = setTimeout(() => stopWith('timeout', `timeout after ${call.timeoutMs} ms`), call.timeoutMs);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted === true) onAbort();
  try {
    const terminal = await attached.done;
    return { jobId: attached.id, terminal, started, line: firstLine.line(), stderr, stop };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

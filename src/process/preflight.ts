/**
 * A short helper run of a job's binary before the job itself starts (git
 * reading the repository's config, for the git profile). It goes through the
 * same start and process-group machinery as every job, is bounded in time and
 * output, and leaves no process behind: its group is terminated before the
 * result is returned, whatever happened.
 */
import type { PreflightResult } from '../policy/profile.js';
import { terminateGroup } from './group.js';
import { isSpawnFailure, startProcess, type GroupWatch } from './spawn.js';
import { settlesWithin } from '../util/timer.js';

/** What to run. */
export interface PreflightSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/** Bounds of one run; `signal` aborts it (the job was cancelled). */
export interface PreflightLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly killGraceMs: number;
  readonly signal: AbortSignal;
  /** The host's watchdog, told about the helper's group like a job's. */
  readonly watch?: GroupWatch;
}

const STDERR_TAIL = 2048;

/** Runs `spec` to completion within `limits`; never throws (a failed start is a result with `code: null`). */
export async function runPreflight(spec: PreflightSpec, limits: PreflightLimits): Promise<PreflightResult> {
  const started = await startProcess({ ...spec, stdin: 'ignore', ...(limits.watch === undefined ? {} : { watch: limits.watch }) });
  if (isSpawnFailure(started)) return { code: null, signal: null, stdout: Buffer.alloc(0), stderr: `${started.code}: ${started.message}`, truncated: false, timedOut: false };
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  let timedOut = false;
  let stderr = '';
  let stopping: Promise<boolean> | null = null;
  const stop = (): void => {
    stopping ??= terminateGroup(started.pid, limits.killGraceMs);
  };
  started.stdout.on('data', (chunk: Buffer) => {
    if (truncated) return;
    const room = limits.maxBytes - bytes;
    if (chunk.length > room) {
      truncated = true;
      chunks.push(chunk.subarray(0, room));
      bytes += room;
      stop();
      return;
    }
    chunks.push(chunk);
    bytes += chunk.length;
  });
  started.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, limits.timeoutMs);
  const onAbort = (): void => stop();
  limits.signal.addEventListener('abort', onAbort, { once: true });
  if (limits.signal.aborted) stop();
  const stdoutClosed = new Promise<void>((resolve) => started.stdout.once('close', () => resolve()));
  const exit = await started.exit;
  clearTimeout(timer);
  limits.signal.removeEventListener('abort', onAbort);
  await (stopping ?? terminateGroup(started.pid, limits.killGraceMs));
  // the group is gone, so the pipe is at EOF unless a process that left the group holds it
  await settlesWithin(stdoutClosed, 1000);
  started.stdout.destroy();
  started.stderr.destroy();
  started.release();
  return { code: exit.code, signal: exit.signal, stdout: Buffer.concat(chunks, bytes), stderr, truncated, timedOut };
}

/**
 * What each job's plan says its end must look like: the terminal event
 * (completed, failed with the planned code or signal, cancelled by the soak,
 * its abort or its timeout, a spawn failure) and, for a job that ran to its
 * end, every line or byte of its output and no unexpected system line.
 */
import type { TerminalJobEvent } from '../../src/contracts/jobs.js';
import { stdoutBytes, stdoutLines, type JobPlan } from './plan.js';

/** The line jobhost emits when writing a job's stdin failed. */
export const STDIN_FAILED = '[jobhost] writing to stdin failed';

/** Per-job counters. `stage`: 0 nothing seen, 1 started, 2 ended. */
export interface JobRecord {
  readonly plan: JobPlan;
  stage: 0 | 1 | 2;
  pid: number | null;
  stdout: number;
  stderr: number;
  system: number;
  stdinFailures: number;
  lastSystem: string | null;
  stdoutChunkBytes: number;
  stderrChunkBytes: number;
  terminal: TerminalJobEvent | null;
  /** Set before calling cancel: a pending job's job_cancelled is delivered inside the call. */
  cancelRequested: boolean;
  /** `cancel` returned true. */
  cancelSent: boolean;
  abortSent: boolean;
}

function stderrBytes(lines: number): number {
  let bytes = 0;
  for (let n = 0; n < lines; n++) bytes += `warning ${n}\n`.length;
  return bytes;
}

/** Why the terminal event does not match the job's plan, or null when it does. */
export function unexpectedEnd(job: JobRecord, event: TerminalJobEvent, maxLineBytes: number): string | null {
  const { plan } = job;
  const { worker } = plan;
  if (event.type === 'job_cancelled') {
    const reason = event.reason;
    if (job.cancelRequested && reason === `soak cancel ${plan.index}`) return null;
    if (job.abortSent && reason === `aborted: soak abort ${plan.index}`) return null;
    if (plan.kind === 'hang' && reason === 'timeout after 1s') return null;
    return `unexpected job_cancelled: ${reason}`;
  }
  if (job.cancelSent) return `cancel() returned true, yet the job ended with ${event.type}`;
  if (plan.kind === 'hang') return `a hanging job ended with ${event.type} instead of its timeout`;
  if (plan.kind === 'unstartable') {
    return event.type === 'job_failed' && event.exit_code === null && event.error.includes('ENOENT') && job.pid === null ? null : `expected a spawn failure (ENOENT), got ${JSON.stringify(event)}`;
  }
  if (worker.then === 'signal') {
    if (event.type !== 'job_failed' || event.exit_code !== null || !event.error.startsWith(`killed by signal ${worker.signal}`)) return `expected killed by ${worker.signal}, got ${JSON.stringify(event)}`;
  } else if (worker.code !== 0) {
    const error = `exited with code ${worker.code}: fatal: soak job failed`;
    if (event.type !== 'job_failed' || event.exit_code !== worker.code || event.error !== error) return `expected job_failed "${error}", got ${JSON.stringify(event)}`;
  } else if (event.type !== 'job_completed') return `expected job_completed, got ${JSON.stringify(event)}`;
  return missingOutput(job, maxLineBytes);
}

function missingOutput(job: JobRecord, maxLineBytes: number): string | null {
  const { plan } = job;
  if (plan.kind === 'chunks') {
    const out = stdoutBytes(plan.worker);
    const err = stderrBytes(plan.worker.err);
    if (job.stdoutChunkBytes !== out || job.stderrChunkBytes !== err) return `chunks carried ${job.stdoutChunkBytes}/${job.stderrChunkBytes} bytes, expected ${out}/${err}${lastSystem(job)}`;
  } else {
    const out = stdoutLines(plan.worker, maxLineBytes);
    if (job.stdout !== out || job.stderr !== plan.worker.err) return `delivered ${job.stdout} stdout, ${job.stderr} stderr and ${job.system} system lines, expected ${out} and ${plan.worker.err}${lastSystem(job)}`;
  }
  const stdinFails = plan.kind === 'stdin' && !plan.worker.readStdin ? 1 : 0;
  if (job.stdinFailures !== stdinFails || job.system !== stdinFails) return `${job.system} system lines (${job.stdinFailures} about stdin), expected ${stdinFails}${lastSystem(job)}`;
  return null;
}

function lastSystem(job: JobRecord): string {
  return job.lastSystem === null ? '' : `; last system line: ${job.lastSystem}`;
}

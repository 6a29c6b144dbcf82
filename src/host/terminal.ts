/**
 * The terminal event of a job whose process ran: what its exit means, which
 * limit ended it (if one did), and the wording of the message.
 */
import { constants } from 'node:os';
import type { TerminalJobEvent } from '../contracts/jobs.js';
import { limitBySignal, softLimitsInForce } from '../policy/limits.js';
import type { Containment } from '../policy/containment.js';
import type { ProcessExit } from '../process/spawn.js';

/** Everything the end of a run decides its terminal event from. */
export interface RunEnd {
  readonly jobId: string;
  readonly exit: ProcessExit;
  readonly containment: Containment;
  /** The caller's, the timeout's or an abort's reason, when the job was cancelled. */
  readonly cancelReason: string | null;
  /** The sampled limit that killed the group, when one did (before any cancel). */
  readonly limitHit: string | null;
  readonly lastStderrLine: string;
  readonly outputTail: () => string | null;
}

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]));

/**
 * How the job's main process ended. bwrap reports its child's death by a
 * signal as exit code 128 + the signal, as a shell does: mapped back, so a
 * job under bwrap reads like one without it.
 */
function effectiveExit(exit: ProcessExit, containment: Containment): ProcessExit {
  if (exit.signal !== null || containment.tier !== 'bwrap' || exit.code === null || exit.code <= 128) return exit;
  const signal = SIGNAL_NAMES.get(exit.code - 128);
  return signal === undefined ? exit : { code: null, signal };
}

function describeExit(exit: ProcessExit, lastStderrLine: string): string {
  const how = exit.signal !== null ? `killed by signal ${exit.signal}` : `exited with code ${String(exit.code)}`;
  const why = lastStderrLine.trim();
  return why === '' ? how : `${how}: ${why.length > 500 ? `${why.slice(0, 497)}...` : why}`;
}

function now(): string {
  return new Date().toISOString();
}

/** The one terminal event of a run that started. */
export function terminalOf(end: RunEnd): TerminalJobEvent {
  const { jobId, containment } = end;
  const failed = (exitCode: number | null, error: string): TerminalJobEvent => ({ type: 'job_failed', job_id: jobId, exit_code: exitCode, error, failed_at: now() });
  if (end.limitHit !== null) return failed(null, `killed: the job exceeded ${end.limitHit}`);
  if (end.cancelReason !== null) return { type: 'job_cancelled', job_id: jobId, reason: end.cancelReason, cancelled_at: now() };
  const exit = effectiveExit(end.exit, containment);
  if (exit.code === 0) return { type: 'job_completed', job_id: jobId, exit_code: 0, completed_at: now(), output_tail: end.outputTail() };
  const limit = limitBySignal(containment.limits, exit.signal);
  if (limit !== null) return failed(null, `killed by signal ${exit.signal ?? ''}: the job exceeded ${limit}`);
  // a shell reports a child killed by a signal as 128 + the signal: a process of the job ran into the limit
  const childSignal = exit.code !== null && exit.code > 128 ? (SIGNAL_NAMES.get(exit.code - 128) ?? null) : null;
  const childLimit = limitBySignal(containment.limits, childSignal);
  if (childLimit !== null) return failed(exit.code, `exited with code ${String(exit.code)} (a process of the job was killed by ${childSignal ?? ''}): the job exceeded ${childLimit}`);
  const inForce = softLimitsInForce(containment.limits);
  return failed(exit.code, `${describeExit(exit, end.lastStderrLine)}${inForce === null ? '' : ` (limits in force: ${inForce})`}`);
}

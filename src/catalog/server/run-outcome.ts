/**
 * How a JobHost terminal event reads in kanade's run vocabulary. kanade has
 * `completed`, `failed` and `killed`, and `exit_code: -1` for every outcome
 * that is not a process exit code (told apart by `status`, not by a reserved
 * number).
 */
import type { RunStatus } from '../../contracts/catalog-types.js';
import type { TerminalJobEvent } from '../../contracts/jobs.js';

/** A run's end: its status, its exit code, and a line explaining a synthetic outcome. */
export interface RunOutcome {
  readonly status: Extract<RunStatus, 'completed' | 'failed' | 'killed'>;
  readonly exitCode: number;
  /** Sent to the client as a last `stderr_chunk` when the output itself cannot say what happened. */
  readonly note?: string;
}

/**
 * - exit 0 → `completed`, 0; another exit code → `failed` with it (the job's
 *   stderr already said why);
 * - death by a signal or a spawn failure → `failed`, -1, with JobHost's reason;
 * - cancelled by this run's `jobs.kill` → `killed`, -1;
 * - cancelled otherwise (timeout, host disposal) → `failed`, -1, with the
 *   reason: `killed` means "stopped by you" in kanade's UI, which these are not.
 */
export function runOutcome(event: TerminalJobEvent, killReason: string | null): RunOutcome {
  switch (event.type) {
    case 'job_completed':
      return { status: 'completed', exitCode: event.exit_code };
    case 'job_failed':
      return event.exit_code === null
        ? { status: 'failed', exitCode: -1, note: `[jobhost] ${event.error}` }
        : { status: 'failed', exitCode: event.exit_code };
    case 'job_cancelled':
      return killReason !== null && event.reason === killReason
        ? { status: 'killed', exitCode: -1 }
        : { status: 'failed', exitCode: -1, note: `[jobhost] cancelled: ${event.reason}` };
  }
}

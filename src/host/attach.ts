/**
 * `host.attach`: the grip a host-side integration (JSON-RPC plugin processes,
 * the VCS client) gets on a job it started, and the options around it.
 */
import type { JobEvent, JobId, TerminalJobEvent } from '../contracts/jobs.js';
import { capText } from '../util/cap-text.js';
import { MAX_STEP_CHARS } from '../policy/string-caps.js';
import type { Job, JobIo } from './job.js';
import type { OverflowPolicy } from './output-flow.js';

/** Options of {@link JobHost.forOwner}; `bufferEvents` and `overflow` are honoured when the owner's handle is first created. */
export interface OwnerOptions {
  /**
   * Keep events for `drainEvents` and the async iterator. An owner that only
   * listens (`onEvent`) can turn this off and spend nothing on buffering.
   * @default true
   */
  readonly bufferEvents?: boolean;
  /**
   * What the owner's buffer does when it is full (see docs/host.md, "Output
   * and backpressure"): `'pause'` stops reading the owner's running jobs until
   * it drains, so nothing is lost and a job that keeps writing blocks on its
   * pipe; `'drop-oldest'` keeps reading and drops the oldest output, each run
   * of drops announced by a `system` line (for an owner that wants a tail);
   * `'auto'` drops until the owner first drains or iterates and pauses from
   * then on, so an owner that never reads its buffer never stalls its jobs.
   * Honoured when the owner's handle is first created.
   * @default the host's `overflow` ('auto')
   */
  readonly overflow?: OverflowPolicy;
  /**
   * The allow-listed binaries this owner may run, a subset of the host's
   * `binaries` keys; any other name is refused with `ERR_BINARY_NOT_ALLOWED`,
   * as if it were not allow-listed at all. Unlike `bufferEvents` it is checked
   * on every call: asking again for another list throws `ERR_INVALID_OPTIONS`
   * rather than silently handing back a handle with other rights.
   * @default every allow-listed binary
   */
  readonly binaries?: readonly string[];
}

/** Options of {@link JobHost.attach}. */
export interface AttachOptions extends JobIo {
  readonly signal?: AbortSignal;
}

/** A job started by {@link JobHost.attach}: the host-side integration's grip on it. */
export interface AttachedJob {
  /** The job's id (`<owner>:<n>`), as in its events and the owner's `list()`. */
  readonly id: JobId;
  /** The terminal event, after every other event of the job and after its processes are gone. */
  readonly done: Promise<TerminalJobEvent>;
  /** Emits `job_progress` for the job (ignored unless it is running); a non-null percent also sets `Running.percent`. */
  progress(percent: number | null, step: string | null): void;
  /** Emits a `job_log_line` for the job (stream `system` unless told); ignored unless it is running. */
  log(line: string, stream?: 'stdout' | 'stderr' | 'system'): void;
  /** Cancels the job; false once it has ended. */
  cancel(reason?: string): boolean;
  /**
   * Stops reading the job's output until the returned release is called, for
   * an integration whose own consumer is backed up (a client socket that is
   * not being drained): the job then blocks on its pipe, and nothing is lost.
   * Holds stack, and a release works once. The job's timeout and the host's
   * disposal still end it, reading freely from then on.
   */
  hold(): () => void;
}

/**
 * Builds the {@link AttachedJob} for `job`; `deliver` emits into the job's
 * owner stream. What an integration reports may quote a peer's text, so it is
 * capped (a step at `MAX_STEP_CHARS`, a line at `maxLineChars`) and lone
 * surrogates become U+FFFD, as an event's strings must be valid Unicode.
 */
export function attachedJob(job: Job, maxLineChars: number, deliver: (event: JobEvent) => void, cancel: (job: Job, reason: unknown) => boolean): AttachedJob {
  // Reports belong between job_started and the terminal event, like the job's own output.
  const live = (): boolean => job.phase === 'running';
  return {
    id: job.id,
    done: job.done,
    progress: (percent, step) => {
      if (!live()) return;
      job.progressed(percent);
      deliver({ type: 'job_progress', job_id: job.id, percent, step: step === null ? null : capText(step, MAX_STEP_CHARS) });
    },
    log: (line, stream = 'system') => {
      if (live()) deliver({ type: 'job_log_line', job_id: job.id, line: capText(line, maxLineChars), stream });
    },
    cancel: (reason) => cancel(job, reason),
    hold: () => job.hold(),
  };
}

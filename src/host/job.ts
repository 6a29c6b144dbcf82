/**
 * One job's record: identity, phase, and the status snapshot derived from it.
 * The work of running it lives in `run-job.ts`; the record only remembers.
 */
import type { Writable } from 'node:stream';
import type { JobEvent, JobStatus, TerminalJobEvent } from '../contracts/jobs.js';
import type { AcceptedRequest } from '../policy/request.js';

/** Where a job is in its life. `starting` = spawn in progress; still reported as Pending. */
export type JobPhase = 'pending' | 'starting' | 'running' | 'finished';

/** Everything needed to start the process, fixed when the request is accepted. */
export type JobSpec = Omit<AcceptedRequest, 'label'>;

/**
 * How a host-side integration (JSON-RPC plugin processes, the VCS client)
 * talks to a job's process instead of only reading its log lines.
 */
export interface JobIo {
  /** `'pipe'` hands stdin's writable to `onStart`. */
  readonly stdin?: 'pipe';
  /** Written to stdin, which is then closed (instead of `stdin: 'pipe'`). */
  readonly input?: string | Uint8Array;
  /** Raw stdout: when set, stdout is handed over chunk by chunk and not turned into log lines. */
  readonly onStdout?: (chunk: Buffer) => void;
  /** Called once the process runs, before any output is delivered. */
  readonly onStart?: (process: { readonly pid: number; readonly stdin: Writable | null }) => void;
  /** Every event of this job, terminal event included, on a host-side channel no plugin can reach or forge. */
  readonly onEvent?: (event: JobEvent) => void;
}

/** Fixed cost of a finished job's record: the object, its promise, its timestamps, the map entries that index it. */
const RECORD_OVERHEAD = 400;

/** A job as the host tracks it. */
export class Job {
  phase: JobPhase = 'pending';
  pid: number | null = null;
  startedAt: string | null = null;
  percent: number | null = null;
  /** Set once cancellation (caller, timeout, abort, dispose) is requested; the first reason wins. */
  cancelReason: string | null = null;
  /** True once the group leader has exited: too late to cancel. */
  exited = false;
  terminal: TerminalJobEvent | null = null;
  finishedAtMs = 0;
  /** Asks the runner to kill the process group; set while the process is alive. */
  kill: (() => void) | null = null;
  readonly done: Promise<TerminalJobEvent>;
  private resolveDone!: (event: TerminalJobEvent) => void;

  constructor(
    readonly id: string,
    readonly owner: string,
    readonly label: string,
    /** Cleared when the job finishes: a finished job is kept for its status, not for its arguments (up to `maxArgsBytes`) and environment. */
    public spec: JobSpec | null,
    /** Cleared when the job finishes: a finished job is kept for its status, not for its input and callbacks. */
    public io: JobIo | null = null,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Records the terminal event; the caller has already delivered it. */
  finish(event: TerminalJobEvent): void {
    this.phase = 'finished';
    this.terminal = event;
    this.finishedAtMs = Date.now();
    this.kill = null;
    this.spec = null;
    this.io = null;
    this.resolveDone(event);
  }

  /**
   * What this record holds once finished, estimated in bytes for the
   * retention bound: its id, label and terminal event (the spec and io are
   * released at the end). Strings count one byte per UTF-16 unit; a
   * non-Latin-1 string really takes up to two.
   */
  retainedBytes(): number {
    const terminal = this.terminal;
    let text = this.id.length * 2 + this.label.length;
    if (terminal !== null) {
      text += terminal.type === 'job_completed' ? (terminal.output_tail?.length ?? 0) : terminal.type === 'job_failed' ? terminal.error.length : terminal.reason.length;
    }
    return RECORD_OVERHEAD + text;
  }

  /** The wire status snapshot. */
  status(): JobStatus {
    const terminal = this.terminal;
    if (terminal !== null) {
      switch (terminal.type) {
        case 'job_completed':
          return { Completed: { exit_code: terminal.exit_code } };
        case 'job_failed':
          return { Failed: { exit_code: terminal.exit_code, error: terminal.error } };
        case 'job_cancelled':
          return { Cancelled: { reason: terminal.reason } };
      }
    }
    if (this.phase === 'running' && this.startedAt !== null) {
      return { Running: { started_at: this.startedAt, percent: this.percent } };
    }
    return 'Pending';
  }
}

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

/**
 * A job as the host tracks it. Its state changes only through the methods
 * below, one per transition, so the rules live in one place: the first cancel
 * reason wins, a job whose leader has exited can no longer be cancelled, a
 * kill requested before there is anything to kill happens as soon as there
 * is, and a finished job keeps its status but not its arguments or io.
 */
export class Job {
  #phase: JobPhase = 'pending';
  #pid: number | null = null;
  #startedAt: string | null = null;
  #percent: number | null = null;
  #cancelReason: string | null = null;
  #exited = false;
  #terminal: TerminalJobEvent | null = null;
  #finishedAtMs = 0;
  /** Holds on the job's output reading by host-side integrations (`AttachedJob.hold`), and who applies them. */
  #holds = 0;
  #onHolds: ((held: boolean) => void) | null = null;
  /** What stopping the job means right now (abort the start-time checks, kill the process group), or nothing yet. */
  #killer: (() => void) | null = null;
  #spec: JobSpec | null;
  #io: JobIo | null;
  readonly done: Promise<TerminalJobEvent>;
  readonly #resolveDone: (event: TerminalJobEvent) => void;

  constructor(
    readonly id: string,
    readonly owner: string,
    readonly label: string,
    spec: JobSpec,
    io: JobIo | null = null,
  ) {
    this.#spec = spec;
    this.#io = io;
    let resolveDone!: (event: TerminalJobEvent) => void;
    this.done = new Promise((resolve) => {
      resolveDone = resolve;
    });
    this.#resolveDone = resolveDone;
  }

  get phase(): JobPhase {
    return this.#phase;
  }

  /** The process (and process-group) id once it runs. */
  get pid(): number | null {
    return this.#pid;
  }

  /** Why the job is being cancelled (caller, timeout, abort, dispose, an integration), or null. */
  get cancelReason(): string | null {
    return this.#cancelReason;
  }

  /** True once the group leader has exited: too late to cancel. */
  get exited(): boolean {
    return this.#exited;
  }

  get terminal(): TerminalJobEvent | null {
    return this.#terminal;
  }

  get finishedAtMs(): number {
    return this.#finishedAtMs;
  }

  /** How a host-side integration talks to the process; released when the job finishes. */
  get io(): JobIo | null {
    return this.#io;
  }

  /** pending → starting; returns what to start. Throws if the job already finished (a bug in the caller). */
  begin(): JobSpec {
    const spec = this.#spec;
    if (spec === null || this.#phase !== 'pending') throw new Error(`job ${this.id} cannot start: it is ${this.#phase}`);
    this.#phase = 'starting';
    return spec;
  }

  /** starting → running, with the process's id. */
  started(pid: number, startedAt: string): void {
    this.#phase = 'running';
    this.#pid = pid;
    this.#startedAt = startedAt;
  }

  /** A progress reading while it runs; `null` leaves the last percent in place. */
  progressed(percent: number | null): void {
    if (percent !== null && this.#phase === 'running') this.#percent = percent;
  }

  /**
   * What stopping the job means from now on (`null`: nothing can be stopped
   * right now). A cancel already requested takes effect at once.
   */
  onKill(killer: (() => void) | null): void {
    this.#killer = killer;
    if (killer !== null && this.#cancelReason !== null) killer();
  }

  /**
   * Requests cancellation: the first reason wins, and the job is stopped as
   * soon as there is something to stop. False once it finished or its
   * leader exited (too late to cancel).
   */
  cancel(reason: string): boolean {
    if (this.#phase === 'finished' || this.#exited) return false;
    this.#cancelReason ??= reason;
    this.#killer?.();
    return true;
  }

  /** Stops the job without a cancel reason (a resource limit decides its end); false when too late. */
  stop(): boolean {
    if (this.#phase === 'finished' || this.#exited || this.#cancelReason !== null) return false;
    this.#killer?.();
    return true;
  }

  /** The group leader exited: from now on nothing can cancel the job. */
  leaderExited(): void {
    this.#exited = true;
  }

  /**
   * Holds the reading of the job's output until the returned release is
   * called (holds stack; a release works once). Taken before the job runs, it
   * applies from its start.
   */
  hold(): () => void {
    this.#holds += 1;
    if (this.#holds === 1) this.#onHolds?.(true);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds -= 1;
      if (this.#holds === 0) this.#onHolds?.(false);
    };
  }

  /** True while a hold is taken. */
  get held(): boolean {
    return this.#holds > 0;
  }

  /** Who applies holds from now on (the runner, while the job's output is read); `null` when nobody does. */
  onHoldChange(apply: ((held: boolean) => void) | null): void {
    this.#onHolds = apply;
  }

  /** Records the terminal event (the caller has already delivered it) and releases what only a live job needs. */
  finish(event: TerminalJobEvent): void {
    this.#phase = 'finished';
    this.#terminal = event;
    this.#finishedAtMs = Date.now();
    this.#killer = null;
    this.#spec = null;
    this.#io = null;
    this.#resolveDone(event);
  }

  /**
   * What this record holds once finished, estimated in bytes for the
   * retention bound: its id, label and terminal event (the spec and io are
   * released at the end). Strings count one byte per UTF-16 unit; a
   * non-Latin-1 string really takes up to two.
   */
  retainedBytes(): number {
    const terminal = this.#terminal;
    let text = this.id.length * 2 + this.label.length;
    if (terminal !== null) {
      text += terminal.type === 'job_completed' ? (terminal.output_tail?.length ?? 0) : terminal.type === 'job_failed' ? terminal.error.length : terminal.reason.length;
    }
    return RECORD_OVERHEAD + text;
  }

  /** The wire status snapshot. */
  status(): JobStatus {
    const terminal = this.#terminal;
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
    if (this.#phase === 'running' && this.#startedAt !== null) {
      return { Running: { started_at: this.#startedAt, percent: this.#percent } };
    }
    return 'Pending';
  }
}

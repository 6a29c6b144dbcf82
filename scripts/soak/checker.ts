/**
 * The soak's invariants, checked on every event as it is delivered (through
 * `host.on('event')`, which sees every event before any buffer could drop
 * one): `job_started` first (or a lone terminal event for a job that never
 * ran), exactly one terminal event, nothing after it, no process of the
 * job's group alive when it arrives, and the end the job's plan calls for,
 * with every line of its output. It keeps a few counters per job, not events.
 */
import type { JobEvent, TerminalJobEvent } from '../../src/contracts/jobs.js';
import { isTerminalEvent } from '../../src/contracts/jobs.js';
import { groupMembers } from '../../src/process/group.js';
import { STDIN_FAILED, unexpectedEnd, type JobRecord } from './expectations.js';
import type { JobPlan } from './plan.js';
import type { Violations } from './violations.js';

/** Checks every event of every job against the invariants and the job's plan. */
export class SoakChecker {
  /** Jobs whose `wait()` has not resolved yet; then only their id is kept, in `#released`. */
  readonly #jobs = new Map<string, JobRecord>();
  readonly #released = new Set<string>();
  jobCount = 0;
  /** Outcome counts, e.g. `job_completed`, `job_cancelled (timeout)`. */
  readonly outcomes = new Map<string, number>();
  /** Every job leader's pid, which is also its process group id. */
  readonly pids = new Set<number>();
  started = 0;
  logLines = 0;
  outputBytes = 0;

  constructor(
    private readonly violations: Violations,
    private readonly maxLineBytes: number,
  ) {}

  register(id: string, plan: JobPlan): void {
    this.jobCount += 1;
    this.#jobs.set(id, {
      plan,
      stage: 0,
      pid: null,
      stdout: 0,
      stderr: 0,
      system: 0,
      stdinFailures: 0,
      lastSystem: null,
      stdoutChunkBytes: 0,
      stderrChunkBytes: 0,
      terminal: null,
      cancelRequested: false,
      cancelSent: false,
      abortSent: false,
    });
  }

  /** Call before `cancel(id)`, then {@link cancelReturned} with what it returned. */
  cancelling(id: string): void {
    const job = this.#jobs.get(id);
    if (job !== undefined) job.cancelRequested = true;
  }

  /** `cancel` returned true: the job must end cancelled (with this reason, or a timeout that came first). */
  cancelReturned(id: string, sent: boolean): void {
    const job = this.#jobs.get(id);
    if (!sent) return;
    if (job === undefined) return this.violations.add('outcome', `${id}: cancel() returned true after wait() had resolved`);
    if (job.terminal !== null && job.terminal.type !== 'job_cancelled') this.violations.add('outcome', `${id}: cancel() returned true after the job had ended with ${job.terminal.type}`);
    job.cancelSent = true;
  }

  abortSent(id: string): void {
    const job = this.#jobs.get(id);
    if (job !== undefined) job.abortSent = true;
  }

  /** `wait(id)` or `attached.done` resolved: check it, then forget all but the id. */
  waited(id: string, terminal: TerminalJobEvent): void {
    const job = this.#jobs.get(id);
    if (job?.terminal !== terminal) this.violations.add('waited', `${id}: resolved with ${terminal.type} but the terminal event delivered was ${job?.terminal?.type ?? 'none'}`);
    this.#jobs.delete(id);
    this.#released.add(id);
  }

  onEvent = (event: JobEvent): void => {
    const job = this.#jobs.get(event.job_id);
    if (job === undefined) {
      const what = this.#released.has(event.job_id) ? 'after its terminal event' : 'a job the soak did not spawn';
      return this.violations.add('order', `${event.type} for ${event.job_id} ${what}`);
    }
    if (job.stage === 2) return this.violations.add('order', `${event.type} after the terminal event of ${event.job_id}`);
    if (event.type === 'job_started') {
      if (job.stage !== 0) return this.violations.add('order', `second job_started for ${event.job_id}`);
      job.stage = 1;
      job.pid = event.pid;
      this.started += 1;
      if (event.pid !== null) this.pids.add(event.pid);
      return;
    }
    if (isTerminalEvent(event)) return this.#terminal(job, event);
    if (job.stage === 0) return this.violations.add('order', `${event.type} before job_started of ${event.job_id}`);
    this.#output(job, event);
  };

  #output(job: JobRecord, event: JobEvent): void {
    if (event.type === 'job_log_line') {
      this.logLines += 1;
      this.outputBytes += event.line.length;
      if (event.stream === 'stdout') {
        job.stdout += 1;
        if (job.plan.worker.readStdin && event.line.startsWith('stdin ') && event.line !== `stdin ${job.plan.input}`) {
          this.violations.add('outcome', `${event.job_id}: the worker read "${event.line}" of ${job.plan.input} bytes of input`);
        }
      } else if (event.stream === 'stderr') job.stderr += 1;
      else {
        job.system += 1;
        job.lastSystem = event.line;
        if (event.line.startsWith(STDIN_FAILED)) job.stdinFailures += 1;
      }
    } else if (event.type === 'job_output_chunk') {
      this.outputBytes += event.bytes.length;
      if (event.stream === 'stdout') job.stdoutChunkBytes += event.bytes.length;
      else job.stderrChunkBytes += event.bytes.length;
    }
  }

  #terminal(job: JobRecord, event: TerminalJobEvent): void {
    const id = event.job_id;
    if (job.stage === 0 && !(event.type === 'job_cancelled' || (event.type === 'job_failed' && event.exit_code === null))) {
      this.violations.add('order', `${id} ended with ${event.type} without job_started`);
    }
    job.stage = 2;
    job.terminal = event;
    if (job.pid !== null) {
      const alive = groupMembers(job.pid);
      if (alive.length > 0) this.violations.add('groupGone', `${id}: ${event.type} while pids ${alive.join(', ')} of group ${job.pid} were alive`);
    }
    const outcome = event.type === 'job_cancelled' ? `job_cancelled (${event.reason.startsWith('timeout') ? 'timeout' : event.reason.startsWith('aborted') ? 'abort' : 'cancel'})` : event.type;
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
    const wrong = unexpectedEnd(job, event, this.maxLineBytes);
    if (wrong !== null) this.violations.add('outcome', `${id} (plan ${job.plan.index}, ${job.plan.kind}): ${wrong}`);
  }

  /** After the run: every registered job must have ended, and its `wait()` resolved. */
  finish(): void {
    for (const [id, job] of this.#jobs) {
      if (job.stage !== 2) this.violations.add('allEnded', `${id} (plan ${job.plan.index}) never ended (stage ${job.stage})`);
      else this.violations.add('waited', `${id} (plan ${job.plan.index}) ended, but wait() never resolved`);
    }
  }
}

/** Checks the same ordering rules on what one owner drains with `drainEvents` (where output may be dropped, lifecycle events never). */
export class DrainedChecker {
  readonly #stage = new Map<string, 1 | 2>();

  constructor(private readonly violations: Violations) {}

  push(events: readonly JobEvent[]): void {
    for (const event of events) {
      const stage = this.#stage.get(event.job_id);
      if (stage === 2) this.violations.add('drained', `${event.type} drained after the terminal event of ${event.job_id}`);
      else if (event.type === 'job_started') {
        if (stage !== undefined) this.violations.add('drained', `job_started drained twice for ${event.job_id}`);
        this.#stage.set(event.job_id, 1);
      } else if (isTerminalEvent(event)) this.#stage.set(event.job_id, 2);
      else if (stage === undefined) this.violations.add('drained', `${event.type} drained before job_started of ${event.job_id}`);
    }
  }

  /** Every job the owner spawned must have been drained to its end. */
  finish(ids: Iterable<string>): void {
    for (const id of ids) if (this.#stage.get(id) !== 2) this.violations.add('drained', `${id}: its terminal event was never drained`);
  }
}

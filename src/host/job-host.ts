/**
 * JobHost: the host side of progit's `JobHost` trait. It owns the policy, the
 * FIFO scheduler and every job; plugins only ever get a {@link JobHandle}.
 */
import { EventEmitter } from 'eventemitter3';
import type { JobEvent, JobSpawnRequestInput, TerminalJobEvent } from '../contracts/jobs.js';
import { JobHostError, describeValue } from '../errors.js';
import { resolveBinaries } from '../policy/binaries.js';
import { probeSync } from '../process/probe.js';
import { acceptRequest, type PolicyConfig } from '../policy/request.js';
import { capText } from '../util/cap-text.js';
import { MAX_REASON_CHARS } from '../policy/string-caps.js';
import { Job, type JobIo } from './job.js';
import { attachedJob, type AttachedJob, type AttachOptions, type OwnerOptions } from './attach.js';
import { describeBinaries, type BinaryDetails } from './binary-details.js';
import type { ContainmentReport } from './containment-report.js';
import { HostContainment } from './host-containment.js';
import { admit } from './admission.js';
import { reportListenerError } from './listener-errors.js';
import { JobHandle, type OwnerPort } from './job-handle.js';
import { resolveOptions, type JobHostOptions, type ResolvedOptions } from './options.js';
import { readOwnerOptions, sameBinaries } from './owner-binaries.js';
import { OwnerState } from './owner.js';
import { runJob, type RunContext } from './run-job.js';
import { Scheduler } from './scheduler.js';
import { isAborted, readSignal, subscribeAbort } from './spawn-options.js';

export type { AttachedJob, AttachOptions, OwnerOptions } from './attach.js';
export type { BinaryDetails } from './binary-details.js';

/** Events of the host itself: every owner's events, and errors thrown by listeners. */
export interface JobHostEvents {
  event: [event: JobEvent, owner: string];
  listenerError: [error: unknown, owner: string];
}

const OWNER_ID = /^[^\p{Cc}]{1,128}$/u;

/** Runs allow-listed binaries for plugins; see docs/host.md, docs/policy.md and docs/lifecycle.md for the policy and the guarantees. */
export class JobHost extends EventEmitter<JobHostEvents> {
  readonly #options: ResolvedOptions;
  readonly #policy: PolicyConfig;
  readonly #owners = new Map<string, OwnerState>();
  readonly #scheduler: Scheduler;
  #unfinished = 0;
  #disposing: Promise<void> | null = null;
  /** The watchdog, the limit sampler and the state-directory records. */
  readonly #containment: HostContainment;

  constructor(options: JobHostOptions) {
    super();
    const resolved = resolveOptions(options);
    this.#options = resolved;

    this.#policy = {
      root: resolved.root,
      binaries: resolveBinaries(options.binaries, resolved.searchPath, probeSync),
      baseEnv: resolved.env,
      deny: resolved.requestDeny,
      maxArgs: resolved.maxArgs,
      maxArgsBytes: resolved.maxArgsBytes,
      maxEnvBytes: resolved.maxEnvBytes,
      defaultTimeoutSecs: resolved.defaultTimeoutSecs,
    };
    this.#scheduler = new Scheduler(resolved.maxConcurrent, (job) => this.#run(job));
    // after the allow-list is known to be valid: the sweep kills what a dead host left behind
    this.#containment = new HostContainment(resolved.killGraceMs, resolved.stateDir);
  }

  /** The real path every job is confined to. */
  get root(): string {
    return this.#policy.root;
  }

  /** Allow-listed binary names and the absolute paths they resolved to at construction. */
  get binaries(): ReadonlyMap<string, string> {
    return new Map([...this.#policy.binaries].map(([name, binary]) => [name, binary.file]));
  }

  /** How each allow-listed binary is started: its file, interpreter, dispatcher and profile, as decided at construction. */
  get binaryDetails(): ReadonlyMap<string, BinaryDetails> {
    return describeBinaries(this.#policy.binaries);
  }

  /** What holds the jobs: the watchdog, the state directory and its sweep, each binary's tier and limits. */
  get containment(): ContainmentReport {
    return this.#containment.report(this.#policy.binaries);
  }

  /** True once `dispose()` was called. */
  get disposed(): boolean {
    return this.#disposing !== null;
  }

  /** The capability handed to one plugin: it sees, drains and cancels only its own jobs. Same owner, same handle. */
  forOwner(owner: string, options?: OwnerOptions): JobHandle {
    if (typeof owner !== 'string' || !OWNER_ID.test(owner)) {
      throw new JobHostError('ERR_INVALID_OWNER', `Expected an owner id of 1 to 128 printable characters, got ${describeValue(owner)}`);
    }
    const { binaries, bufferEvents, overflow, asked } = readOwnerOptions(owner, options, this.#policy.binaries, this.#options.overflow);
    const existing = this.#owners.get(owner);
    if (existing !== undefined) {
      if (!asked || sameBinaries(existing.binaries, binaries)) return existing.handle;
      throw new JobHostError('ERR_INVALID_OPTIONS', `Owner "${owner}" already has a handle with other \`binaries\`; an owner's rights are fixed when its handle is created`, {
        details: { owner },
      });
    }
    const { buffer, keepFinished, keepFinishedMs, keepFinishedBytes } = this.#options;
    const state = new OwnerState(owner, buffer, { count: keepFinished, ms: keepFinishedMs, bytes: keepFinishedBytes }, bufferEvents, binaries, overflow);
    state.listenerFailed = (error) => reportListenerError(this, state, error);
    state.handle = new JobHandle(owner, this.#port(state));
    this.#owners.set(owner, state);
    return state.handle;
  }

  /**
   * For host-side integrations (JSON-RPC plugin processes, VCS adapters) — never
   * hand this to a plugin. Starts a job for `owner` under exactly the policy,
   * scheduler, timeouts and lifecycle of `forOwner(owner).spawn(request)`; the
   * job shows up in the owner's list and events like any other. In addition
   * the caller can write to stdin, read stdout raw, hear the job's own events
   * (`onEvent`, a channel no plugin can reach), and report progress and log
   * lines into the job's event stream. Throws the same `JobHostError`s.
   */
  attach(owner: string, request: JobSpawnRequestInput, options: AttachOptions = {}): AttachedJob {
    this.forOwner(owner);
    const state = this.#ownerState(owner);
    const { signal, ...io } = options;
    const id = this.#spawn(state, request, signal === undefined ? undefined : { signal }, io);
    const job = state.jobs.get(id) as Job;
    return attachedJob(job, this.#options.maxLineBytes, (event) => this.#deliver(state, event, job), (target, reason) => this.#requestCancel(target, reason));
  }

  /** Cancels every job (`host disposed`) and resolves when every job has ended and every process is gone. Idempotent. */
  dispose(): Promise<void> {
    if (this.#disposing !== null) return this.#disposing;
    for (const job of this.#scheduler.withdrawAll()) this.#cancelPending(job, 'host disposed');
    for (const job of this.#scheduler.running()) this.#requestCancel(job, 'host disposed');
    // nobody is going to drain what the cancelled jobs' last output would wait for
    for (const state of this.#owners.values()) state.flow.open();
    this.#disposing = this.#scheduler.settled().then(async () => {
      // every group is gone: the watchdog has nothing to kill and exits at EOF; the records go
      await this.#containment.close();
      for (const state of this.#owners.values()) state.wakeAll();
    });
    return this.#disposing;
  }

  /** `await using host = new JobHost(…)` disposes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  #port(state: OwnerState): OwnerPort {
    return {
      spawn: (request, options) => this.#spawn(state, request, options),
      cancel: (id, reason) => {
        const job = state.visible(id);
        return job !== undefined && this.#requestCancel(job, reason);
      },
      status: (id) => state.visible(id)?.status(),
      done: (id) => state.visible(id)?.done,
      list: () => {
        state.purge();
        return [...state.jobs.values()];
      },
      drain: (max) => state.drain(max),
      requeue: (events) => state.requeue(events),
      wake: () => state.nextWake(),
      finished: () => this.#disposing !== null && state.unfinished === 0,
      droppedEvents: () => state.buffer.droppedTotal,
      binaries: () => [...this.#policy.binaries.keys()].filter((name) => state.binaries === null || state.binaries.has(name)),
      subscribe: (listener) => state.listeners.add(listener),
    };
  }

  #spawn(state: OwnerState, request: unknown, options: unknown, io: JobIo | null = null): string {
    if (this.#disposing !== null) throw new JobHostError('ERR_HOST_DISPOSED', 'The JobHost has been disposed; no new jobs are accepted');
    const signal = readSignal(options);
    if (signal !== undefined && isAborted(signal)) throw new JobHostError('ERR_ABORTED', 'The spawn was aborted before it started', { cause: signal.reason });
    const accepted = acceptRequest(request, this.#policy, state.binaries);
    admit(state, this.#unfinished, { maxJobsPerOwner: this.#options.maxJobsPerOwner, maxJobs: this.#options.maxJobs, bufferMaxBytes: this.#options.buffer.maxBytes });
    // subscribed before the id is minted: a signal that throws here must not leave a job behind, or use up an id
    const bind = signal === undefined ? null : subscribeAbort(signal, (job: Job, reason) => this.#requestCancel(job, reason));
    const { label, ...spec } = accepted;
    const job = new Job(state.nextId(), state.id, label, spec, io);
    bind?.(job);
    state.jobs.set(job.id, job);
    state.unfinished += 1;
    this.#unfinished += 1;
    this.#scheduler.enqueue(job);
    return job.id;
  }

  async #run(job: Job): Promise<void> {
    const state = this.#ownerState(job.owner);
    const ctx: RunContext = {
      killGraceMs: this.#options.killGraceMs,
      maxLineBytes: this.#options.maxLineBytes,
      outputTailBytes: this.#options.outputTailBytes,
      watch: this.#containment,
      sampler: this.#containment.sampler,
      emit: (event) => this.#deliver(state, event, job),
      flow: state.buffered ? (flow) => state.flow.add(flow) : () => () => undefined,
    };
    let terminal: TerminalJobEvent;
    try {
      terminal = await runJob(job, ctx);
    } catch (error) {
      terminal = { type: 'job_failed', job_id: job.id, exit_code: null, error: `internal error: ${String(error)}`, failed_at: new Date().toISOString() };
    }
    this.#finish(state, job, terminal);
  }

  #requestCancel(job: Job, requested: unknown): boolean {
    if (job.phase === 'finished' || job.exited) return false;
    // the reason goes on the wire as a Rust String and stays in memory with the job: capped, well-formed, a string or nothing
    const reason = typeof requested === 'string' ? capText(requested, MAX_REASON_CHARS) : undefined;
    if (job.phase === 'pending') {
      // not queued any more: its cancellation is being delivered right now (a listener re-entering), or dispose took it
      if (!this.#scheduler.withdraw(job)) return false;
      this.#cancelPending(job, reason ?? 'cancelled');
      return true;
    }
    return job.cancel(reason ?? 'cancelled');
  }

  #cancelPending(job: Job, reason: string): void {
    const state = this.#ownerState(job.owner);
    job.cancel(reason);
    this.#finish(state, job, { type: 'job_cancelled', job_id: job.id, reason, cancelled_at: new Date().toISOString() });
  }

  #finish(state: OwnerState, job: Job, terminal: TerminalJobEvent): void {
    this.#deliver(state, terminal, job);
    job.finish(terminal);
    this.#unfinished -= 1;
    state.retire(job);
  }

  /** One event of `job` to everyone entitled to it; no listener's exception can stop the others or the job. Hot path: one call per output line. */
  #deliver(state: OwnerState, event: JobEvent, job: Job): void {
    if (state.buffered && state.buffer.push(event)) state.flow.full();
    const observer = job.io?.onEvent;
    if (observer !== undefined) {
      try {
        observer(event);
      } catch (error) {
        state.listenerFailed(error);
      }
    }
    if (state.listeners.size > 0) state.listeners.call(event, state.listenerFailed);
    if (this.listenerCount('event') > 0) {
      try {
        this.emit('event', event, state.id);
      } catch (error) {
        state.listenerFailed(error);
      }
    }
    state.wakeAll();
  }

  #ownerState(owner: string): OwnerState {
    return this.#owners.get(owner) as OwnerState;
  }
}

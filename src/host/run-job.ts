/**
 * Runs one job from spawn to its single terminal event.
 *
 * Order of the end, which is what makes "every line before the terminal
 * event, and no process left when it arrives" hold: the leader exits → the
 * rest of its process group is terminated (SIGTERM, SIGKILL after the grace)
 * and awaited → the output pipes are read to EOF (see output-end.ts: with no
 * deadline while nobody can write to them) → final partial lines are flushed
 * → exactly one terminal event.
 *
 * The pipes are read under the owner's backpressure (output-flow.ts) until
 * they end — also after the leader exits, so a consumer that keeps draining
 * gets every line — or until the job is cancelled (by anyone, its timeout
 * included, which is what bounds an owner that stopped draining): a cancel
 * never waits for a drain, and from then on they are read freely (past twice
 * the buffer's caps the newest output is dropped, announced).
 */
import type { Readable } from 'node:stream';
import type { JobEvent, TerminalJobEvent } from '../contracts/jobs.js';
import { JobOutput, type JobOutputLimits } from '../output/job-output.js';
import { needsSampling, type ResourceLimits } from '../policy/limits.js';
import { signalGroup, terminateGroup } from '../process/group.js';
import { childEnds } from '../process/pipe-holders.js';
import { isSpawnFailure, startProcess, type GroupWatch } from '../process/spawn.js';
import { beforeStart } from './before-start.js';
import type { Job } from './job.js';
import { connectIo } from './job-io.js';
import type { LimitSampler } from './limit-sampler.js';
import { JobReaders } from './job-readers.js';
import { readToEnd } from './output-end.js';
import { terminalOf } from './terminal.js';
import { longTimeout } from '../util/timer.js';

/** What the runner needs from the host. */
export interface RunContext extends JobOutputLimits {
  readonly killGraceMs: number;
  /** The host's sampler of process and memory limits. */
  readonly sampler: LimitSampler;
  /** The host's watchdog: told about every process group the job starts. */
  readonly watch: GroupWatch;
  /** Delivers one event of this job to its owner and listeners. */
  readonly emit: (event: JobEvent) => void;
  /** Puts the job's readers under its owner's backpressure; returns the release. */
  readonly flow: (flow: JobReaders) => () => void;
}

function now(): string {
  return new Date().toISOString();
}

function closed(stream: Readable): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => stream.once('close', () => resolve()));
}


/** Starts `job`, streams its events through `ctx.emit`, and resolves with its terminal event once its processes are gone. */
export async function runJob(job: Job, ctx: RunContext): Promise<TerminalJobEvent> {
  const spec = job.begin();
  const stdin = job.io?.stdin === 'pipe' || job.io?.input !== undefined ? 'pipe' : 'ignore';
  // a cancel while the start-time checks run (a profile's helper process) aborts them
  const checks = new AbortController();
  job.onKill(() => checks.abort());
  const plan = await beforeStart(spec, ctx.killGraceMs, checks.signal, ctx.watch);
  job.onKill(null);
  if (job.cancelReason !== null) return { type: 'job_cancelled', job_id: job.id, reason: job.cancelReason, cancelled_at: now() };
  if ('error' in plan) return { type: 'job_failed', job_id: job.id, exit_code: null, error: plan.error, failed_at: now() };
  const started = await startProcess({ file: spec.file, args: spec.argv, cwd: spec.cwd, env: plan.env, stdin, watch: ctx.watch });
  if (isSpawnFailure(started)) {
    if (job.cancelReason !== null) return { type: 'job_cancelled', job_id: job.id, reason: job.cancelReason, cancelled_at: now() };
    const retried = started.attempts > 1 ? ` after ${started.attempts} attempts` : '';
    return {
      type: 'job_failed',
      job_id: job.id,
      exit_code: null,
      error: `could not start ${spec.binary.name}${retried}: ${started.code}: ${started.message}`,
      failed_at: now(),
    };
  }

  const { pid } = started;
  // Who holds the pipes at the end decides how long to wait for EOF. Read synchronously, right after the
  // spawn: a child that exits at once (or hands its pipes to a daemon and exits) has had no time to yet,
  // while an asynchronous read could come after it (~60-125 µs a job, kept for that).
  const ends = childEnds(pid);
  const deadline = Date.now() + spec.timeoutSecs * 1000;
  // a sampled limit (processes, memory) kills the group at once, without grace: a fork bomb gets none
  let limitHit: string | null = null;
  const limits = spec.binary.containment.limits;
  const stopSampling = needsSampling(limits)
    ? ctx.sampler.watch(pid, limits as ResourceLimits, (what) => {
        if (job.cancelReason !== null || job.exited) return;
        limitHit = what;
        signalGroup(pid, 'SIGKILL');
        job.stop();
      })
    : () => undefined;
  const startedAt = now();
  job.started(pid, startedAt);
  ctx.emit({ type: 'job_started', job_id: job.id, pid, started_at: startedAt });
  for (const note of plan.notes) ctx.emit({ type: 'job_log_line', job_id: job.id, line: note, stream: 'system' });

  const output = new JobOutput(job.id, spec.binary.policy, ctx, ctx.emit, (percent) => job.progressed(percent));
  let killing: Promise<boolean> | null = null;
  connectIo(job, started, output, (reason) => job.cancel(reason));
  started.stderr.on('data', (chunk: Buffer) => output.stderr(chunk));
  const outputClosed = Promise.all([closed(started.stdout), closed(started.stderr)]);
  // the streams whose bytes become buffered events (an integration reading stdout raw keeps its own pace)
  const evented = job.io?.onStdout === undefined ? [started.stdout, started.stderr] : [started.stderr];
  const readers = new JobReaders(output, evented);
  const releaseFlow = ctx.flow(readers);
  // integrations' holds (a catalog client not reading): taken before the start, they apply from it
  readers.hold(job.held);
  job.onHoldChange((held) => readers.hold(held));
  // a cancel requested while the process was starting kills it now
  job.onKill(() => {
    // what is left once the group is killed is finite: a cancel must not wait for anyone to drain it
    readers.open();
    killing ??= terminateGroup(pid, ctx.killGraceMs);
  });
  // the timeout cancels the job if it still runs, and stops waiting for its owner to drain if its output does
  const timeoutTimer = longTimeout(deadline - Date.now(), () => {
    readers.open();
    job.cancel(`timeout after ${spec.timeoutSecs}s`);
  });

  const exit = await started.exit;
  job.leaderExited();
  stopSampling();
  // Whatever the leader left behind in its group goes too, before the job may end.
  const groupGone = await (killing ?? terminateGroup(pid, ctx.killGraceMs));
  job.onKill(null);
  const stopped = await readToEnd({ streams: [started.stdout, started.stderr], closed: outputClosed, ends, deadline, graceMs: Math.max(500, ctx.killGraceMs) });
  await output.flushed();
  timeoutTimer();
  job.onHoldChange(null);
  readers.open();
  releaseFlow();
  if (stopped !== null) output.system(stopped);
  output.end();
  started.release();
  if (!groupGone) output.system(`[jobhost] process group ${pid} did not exit after SIGKILL`);

  return terminalOf({
    jobId: job.id,
    exit,
    containment: spec.binary.containment,
    cancelReason: job.cancelReason,
    limitHit,
    lastStderrLine: output.lastStderrLine,
    outputTail: () => output.tailText(),
  });
}

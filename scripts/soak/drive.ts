/**
 * The soak's load: one JobHost running `concurrency` jobs at a time with a
 * window of queued jobs behind them, through three plugin handles (one of them
 * drained by polling, two push-only) and `host.attach`, with cancels and
 * aborts fired at their planned moments. Every event goes to the checker.
 */
import type { TerminalJobEvent } from '../../src/contracts/jobs.js';
import type { JobHandle } from '../../src/host/job-handle.js';
import { JobHost } from '../../src/host/job-host.js';
import { DrainedChecker, type SoakChecker } from './checker.js';
import type { Violations } from './violations.js';
import { ATTACH_OWNER, PLUGIN_OWNERS, type JobPlan } from './plan.js';
import { collectGarbage, mb } from './procs.js';

/** What the load needs. */
export interface DriveSetup {
  readonly root: string;
  readonly worker: string;
  /** Allow-listed, then deleted once the host resolved it: its jobs cannot start. */
  readonly vanished: string;
  readonly concurrency: number;
  readonly killGraceMs: number;
  readonly maxLineBytes: number;
  readonly progress: (line: string) => void;
}

/** What the load measured; the host is unreachable once this is returned. */
export interface DriveResult {
  readonly durationMs: number;
  /** RSS after a full GC each time another 10% of the jobs had ended. */
  readonly rssCheckpoints: readonly number[];
  /** Heap after dispose and a full GC, with the host (and its retained finished jobs) still referenced. */
  readonly heapWithHostMb: number;
  /** ArrayBuffers at the same moment: a finished job is kept for its status, not for its buffers. */
  readonly arrayBuffersWithHostMb: number;
}

function binaryOf(plan: JobPlan): string {
  if (plan.kind === 'chunks') return 'soak-chunks';
  if (plan.kind === 'unstartable') return 'soak-vanished';
  return 'soak-worker';
}

/** Runs every plan through one host, disposes it, and resolves when all of that is done. */
export async function drive(plans: readonly JobPlan[], setup: DriveSetup, checker: SoakChecker, violations: Violations): Promise<DriveResult> {
  const host = new JobHost({
    root: setup.root,
    binaries: { 'soak-worker': { path: setup.worker }, 'soak-chunks': { path: setup.worker, output: 'chunks' }, 'soak-vanished': { path: setup.vanished } },
    maxConcurrent: setup.concurrency,
    killGraceMs: setup.killGraceMs,
    maxLineBytes: setup.maxLineBytes,
  });
  host.on('event', checker.onEvent);
  const handles = new Map<string, JobHandle>(PLUGIN_OWNERS.map((owner, n) => [owner, host.forOwner(owner, { bufferEvents: n === 0 })]));
  host.forOwner(ATTACH_OWNER, { bufferEvents: false });
  const drainedHandle = handles.get(PLUGIN_OWNERS[0]) as JobHandle;
  const drained = new DrainedChecker(violations);
  const drainedIds: string[] = [];
  const drainTimer = setInterval(() => drained.push(drainedHandle.drainEvents()), 25);
  const cancelTimers = new Set<NodeJS.Timeout>();

  const started = Date.now();
  const window = setup.concurrency * 3;
  const step = Math.max(1, Math.round(plans.length / 10));
  const rssCheckpoints: number[] = [];
  let next = 0;
  let unfinished = 0;
  let ended = 0;
  let allEnded!: () => void;
  const everyJobEnded = new Promise<void>((resolve) => (allEnded = resolve));

  const onEnd = (): void => {
    unfinished -= 1;
    ended += 1;
    if (ended % step === 0) {
      collectGarbage();
      rssCheckpoints.push(mb(process.memoryUsage().rss));
      const seconds = (Date.now() - started) / 1000;
      setup.progress(`[soak] ${ended}/${plans.length} jobs ended, ${(ended / seconds).toFixed(1)} jobs/s, RSS after GC ${rssCheckpoints.at(-1)} MB`);
    }
    feed();
  };

  const scheduleCancel = (plan: JobPlan, id: string, cancel: (reason: string) => boolean, controller: AbortController | null): void => {
    if (plan.cancel === null) return;
    const fire = (): void => {
      if (controller === null) {
        checker.cancelling(id);
        return checker.cancelReturned(id, cancel(`soak cancel ${plan.index}`));
      }
      checker.abortSent(id);
      controller.abort(new Error(`soak abort ${plan.index}`));
    };
    if (plan.cancel.atMs === 'sync') return fire();
    const timer = setTimeout(() => {
      cancelTimers.delete(timer);
      fire();
    }, plan.cancel.atMs);
    cancelTimers.add(timer);
  };

  const start = (plan: JobPlan): void => {
    unfinished += 1;
    const request = { label: `soak ${plan.index} ${plan.kind}`, binary: binaryOf(plan), args: [JSON.stringify(plan.worker)], timeout_secs: plan.timeoutSecs };
    const controller = plan.cancel?.how === 'abort' ? new AbortController() : null;
    const options = controller === null ? {} : { signal: controller.signal };
    let id: string;
    let done: Promise<TerminalJobEvent>;
    let cancel: (reason: string) => boolean;
    try {
      if (plan.kind === 'stdin') {
        const attached = host.attach(ATTACH_OWNER, request, { ...options, input: Buffer.alloc(plan.input, 0x61) });
        ({ id, done } = attached);
        cancel = (reason) => attached.cancel(reason);
      } else {
        const handle = handles.get(plan.owner) as JobHandle;
        id = handle.spawn(request, options);
        done = handle.wait(id);
        cancel = (reason) => handle.cancel(id, reason);
        if (plan.owner === PLUGIN_OWNERS[0]) drainedIds.push(id);
      }
    } catch (error) {
      violations.add('allEnded', `plan ${plan.index}: spawn threw ${String(error)}`);
      queueMicrotask(onEnd);
      return;
    }
    checker.register(id, plan);
    scheduleCancel(plan, id, cancel, controller);
    done.then(
      (terminal) => {
        checker.waited(id, terminal);
        onEnd();
      },
      (error: unknown) => {
        violations.add('waited', `${id}: wait rejected: ${String(error)}`);
        onEnd();
      },
    );
  };

  function feed(): void {
    while (next < plans.length && unfinished < window) start(plans[next++] as JobPlan);
    if (ended === plans.length) allEnded();
  }

  feed();
  await everyJobEnded;
  const durationMs = Date.now() - started;
  await host.dispose();
  clearInterval(drainTimer);
  for (const timer of cancelTimers) clearTimeout(timer);
  drained.push(drainedHandle.drainEvents());
  drained.finish(drainedIds);
  collectGarbage();
  const usage = process.memoryUsage();
  return { durationMs, rssCheckpoints, heapWithHostMb: mb(usage.heapUsed), arrayBuffersWithHostMb: mb(usage.arrayBuffers) };
}

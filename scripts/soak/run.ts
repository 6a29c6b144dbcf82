/**
 * One soak run: the measurements before the first job, the load (drive.ts),
 * and the measurements once the host is gone — processes, file descriptors,
 * memory — turned into the figures the report prints.
 */
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SoakChecker } from './checker.js';
import type { Violations } from './violations.js';
import { drive } from './drive.js';
import { makePlans } from './plan.js';
import { collectGarbage, descendantsOf, isLive, mb, openFdCount, scanProcesses } from './procs.js';

/** How to run the soak. */
export interface SoakConfig {
  readonly jobs: number;
  readonly seed: number;
  readonly quick: boolean;
  /** `maxConcurrent` of the host. */
  readonly concurrency: number;
  /** Progress lines go here. */
  readonly progress: (line: string) => void;
}

/** What a run measured. Memory in MB. */
export interface SoakFigures {
  readonly seed: number;
  readonly jobs: number;
  readonly concurrency: number;
  readonly killGraceMs: number;
  readonly durationMs: number;
  readonly jobsPerSec: number;
  readonly linesPerSec: number;
  readonly outputMbPerSec: number;
  readonly logLines: number;
  readonly outputMb: number;
  /** Processes started as jobs (job_started events). */
  readonly processesStarted: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /**
   * `checkpoints`: after a full GC each time another 10% of the jobs ended; `firstHalf`: the highest
   * of the first five; `after`: once the host is gone.
   */
  readonly rssMb: { readonly before: number; readonly firstHalf: number; readonly peak: number; readonly after: number; readonly checkpoints: readonly number[] };
  /** `withHost`: after dispose, the host and its retained finished jobs still referenced; `after`: once the host is gone. */
  readonly heapMb: { readonly before: number; readonly peak: number; readonly withHost: number; readonly after: number };
  /** Memory of ArrayBuffers and Buffers (outside the heap), after a full GC; `withHost` as for the heap. */
  readonly arrayBuffersMb: { readonly before: number; readonly withHost: number; readonly after: number };
  readonly fds: { readonly before: number; readonly after: number };
  readonly survivors: readonly string[];
}

const MAX_LINE_BYTES = 65_536;
const KILL_GRACE_MS = 200;

/** Writes the worker program with this Node.js as its interpreter, so PATH does not matter; and a script whose interpreter does not exist (its jobs fail to spawn with ENOENT). */
function installWorker(dir: string): { worker: string; vanished: string } {
  const source = readFileSync(fileURLToPath(new URL('./worker.mjs', import.meta.url)), 'utf8');
  const worker = join(dir, 'soak-worker.mjs');
  writeFileSync(worker, `#!${process.execPath}\n${source}`);
  chmodSync(worker, 0o755);
  const vanished = join(dir, 'soak-vanished.mjs');
  writeFileSync(vanished, `#!${join(dir, 'no-such-interpreter')}\n${source}`);
  chmodSync(vanished, 0o755);
  return { worker, vanished };
}

/** Samples memory until stopped; the kernel's maxRSS catches peaks between samples. */
function memorySampler(): { stop(): { rss: number; heap: number } } {
  let rss = 0;
  let heap = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heap = Math.max(heap, usage.heapUsed);
  };
  const timer = setInterval(sample, 50);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { rss: Math.max(rss, process.resourceUsage().maxRSS * 1024), heap };
    },
  };
}

/** How many child-process and pipe handles Node holds now (this process's own stdio pipes included). */
function jobHandleCount(): number {
  return process.getActiveResourcesInfo().filter((type) => type === 'ProcessWrap' || type === 'PipeWrap').length;
}

/**
 * Resolves once the loop has finished closing what the jobs left closing, and
 * Node holds no more child-process and pipe handles than `baseline` (or after
 * 5 s). A handle closed during a loop turn is released only in that turn's
 * close phase — until then a job's stdio pipe keeps, through its listeners,
 * the host reachable — and closing handles no longer show up as active, so
 * the first wait is one whole turn (a timer fires only in the next one).
 */
async function handlesReleased(baseline: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  do await new Promise((resolve) => setTimeout(resolve, 0));
  while (jobHandleCount() > baseline && Date.now() < deadline);
}

/** Open descriptors, once they are down to `limit` (pipes of the last jobs may close a few turns later) or after 5 s. */
async function settledFdCount(limit: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  let count = openFdCount();
  while (count > limit && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    count = openFdCount();
  }
  return count;
}

/**
 * Live processes left over: descendants of this process that were not there
 * before, and members of any job's process group or session. Pids wrap
 * (pid_max may be 32768), so a job's number may since lead an unrelated new
 * group; the kernel reuses a pid only once no group or session carries it,
 * so a group whose leader's pid exists again is not the job's.
 */
function survivors(jobPids: ReadonlySet<number>, preexisting: ReadonlySet<number>): string[] {
  const processes = scanProcesses();
  const mine = new Set(descendantsOf(process.pid, processes).map((info) => info.pid));
  const exists = new Set(processes.map((info) => info.pid));
  const jobs = (id: number): boolean => jobPids.has(id) && !exists.has(id);
  return processes
    .filter((info) => isLive(info) && (jobs(info.pgid) || jobs(info.sid) || (mine.has(info.pid) && !preexisting.has(info.pid))))
    .map((info) => `${info.pid} ${info.command} (state ${info.state}, group ${info.pgid}, parent ${info.ppid})`);
}

/** Runs the soak and returns its figures; violated invariants are collected in `violations`. */
export async function runSoak(config: SoakConfig, violations: Violations, fdAllowance: number): Promise<SoakFigures> {
  const plans = makePlans(config.seed, config.jobs, { quick: config.quick, maxLineBytes: MAX_LINE_BYTES });
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-soak-')));
  const bin = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-soak-bin-')));
  const { worker, vanished } = installWorker(bin);
  const checker = new SoakChecker(violations, MAX_LINE_BYTES);

  collectGarbage();
  const preexisting = new Set(descendantsOf(process.pid, scanProcesses()).map((info) => info.pid));
  const fdsBefore = openFdCount();
  const handlesBefore = jobHandleCount();
  const before = process.memoryUsage();
  const memory = memorySampler();

  const setup = { root, worker, vanished, concurrency: config.concurrency, killGraceMs: KILL_GRACE_MS, maxLineBytes: MAX_LINE_BYTES, progress: config.progress };
  const driven = await drive(plans, setup, checker, violations);
  checker.finish();
  const peak = memory.stop();
  // right after dispose, with no grace: the terminal events promised that every process was gone
  const left = survivors(checker.pids, preexisting);
  const fdsAfter = await settledFdCount(fdsBefore + fdAllowance);
  await handlesReleased(handlesBefore);
  collectGarbage();
  const after = process.memoryUsage();
  rmSync(root, { recursive: true, force: true });
  rmSync(bin, { recursive: true, force: true });

  const seconds = driven.durationMs / 1000;
  return {
    seed: config.seed,
    jobs: checker.jobCount,
    concurrency: config.concurrency,
    killGraceMs: KILL_GRACE_MS,
    durationMs: driven.durationMs,
    jobsPerSec: Math.round((checker.jobCount / seconds) * 10) / 10,
    linesPerSec: Math.round(checker.logLines / seconds),
    outputMbPerSec: Math.round((checker.outputBytes / seconds / 1_048_576) * 10) / 10,
    logLines: checker.logLines,
    outputMb: mb(checker.outputBytes),
    processesStarted: checker.started,
    outcomes: Object.fromEntries([...checker.outcomes].sort(([a], [b]) => a.localeCompare(b))),
    rssMb: { before: mb(before.rss), firstHalf: Math.max(mb(before.rss), ...driven.rssCheckpoints.slice(0, 5)), peak: mb(peak.rss), after: mb(after.rss), checkpoints: driven.rssCheckpoints },
    heapMb: { before: mb(before.heapUsed), peak: mb(peak.heap), withHost: driven.heapWithHostMb, after: mb(after.heapUsed) },
    arrayBuffersMb: { before: mb(before.arrayBuffers), withHost: driven.arrayBuffersWithHostMb, after: mb(after.arrayBuffers) },
    fds: { before: fdsBefore, after: fdsAfter },
    survivors: left,
  };
}

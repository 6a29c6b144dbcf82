/**
 * What each soak job does, drawn from a seeded PRNG so a failing run can be
 * replayed with `--seed`: the worker's output, how it ends, whether it is
 * cancelled and when. Timing still varies from run to run (that is the point
 * of a soak); the plans do not.
 */

/** What the worker program (worker.mjs) does; passed to it as JSON. */
export interface WorkerPlan {
  /** Full stdout lines, each `line` characters plus its end of line. */
  readonly lines: number;
  readonly line: number;
  /** Lines end in `\r\n` instead of `\n`. */
  readonly crlf: boolean;
  /** Lines are made of `é` (2 bytes each) instead of ASCII; only for lines well below `maxLineBytes`. */
  readonly utf8: boolean;
  /** Characters printed after the last line, without a newline (delivered at exit). */
  readonly partial: number;
  /** stderr lines; the last one of a failing job is `fatal: soak job failed`. */
  readonly err: number;
  readonly then: 'exit' | 'signal' | 'hang';
  readonly code: number;
  readonly signal: NodeJS.Signals | null;
  /** Ignore SIGTERM (prints `ready`), so only the SIGKILL after the grace ends it. */
  readonly ignoreTerm: boolean;
  /** Leave a `sleep` in the job's process group (`stubborn`: one that ignores SIGTERM). */
  readonly grandchild: false | 'plain' | 'stubborn';
  /** Read stdin to the end first and print `stdin <bytes>`. */
  readonly readStdin: boolean;
}

/** Kinds of soak jobs, each with a different expected end. */
export type JobKind = 'output' | 'chunks' | 'failing' | 'signal' | 'hang' | 'leftover' | 'unstartable' | 'stdin';

/** A cancellation the soak sends: through `handle.cancel` or an AbortSignal, in the spawn's tick or after `atMs`. */
export interface CancelPlan {
  readonly how: 'cancel' | 'abort';
  readonly atMs: number | 'sync';
}

/** One soak job. */
export interface JobPlan {
  readonly index: number;
  readonly kind: JobKind;
  readonly owner: string;
  readonly worker: WorkerPlan;
  readonly timeoutSecs: number;
  /** Bytes written to stdin through `host.attach(…, { input })`; only for kind `stdin`. */
  readonly input: number;
  readonly cancel: CancelPlan | null;
}

/** Owners that spawn through their handle; `host-side` uses `host.attach`. The first one is drained by polling. */
export const PLUGIN_OWNERS = ['plugin-drained', 'plugin-a', 'plugin-b'] as const;
export const ATTACH_OWNER = 'host-side';

/** mulberry32: a tiny, well-distributed 32-bit PRNG; plenty for choosing test cases. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Output size in bytes: mostly small, some medium, a few of several MB (`quick` caps them at 1 MB). */
function outputBytes(random: Random, quick: boolean): number {
  const r = random();
  if (r < 0.35) return int(random, 0, 2048);
  if (r < 0.75) return int(random, 2048, 65_536);
  if (r < 0.95) return int(random, 65_536, 1 << 20);
  return int(random, 1 << 20, quick ? 1 << 20 : 4 << 20);
}

function workerPlan(random: Random, quick: boolean, maxLineBytes: number): WorkerPlan {
  const bytes = outputBytes(random, quick);
  const r = random();
  // long lines are split by the host into pieces of maxLineBytes
  const line = r < 0.08 ? int(random, maxLineBytes - 1, maxLineBytes * 4 + 7) : r < 0.1 ? 0 : int(random, 1, 200);
  const utf8 = line * 2 < maxLineBytes && random() < 0.1;
  const p = random();
  return {
    lines: Math.floor(bytes / ((utf8 ? 2 * line : line) + 1)),
    line,
    crlf: random() < 0.15,
    utf8,
    partial: p < 0.2 ? int(random, 1, 100) : p < 0.21 ? int(random, maxLineBytes, maxLineBytes * 2 + 3) : 0,
    err: random() < 0.05 ? int(random, 1000, 5000) : int(random, 0, 20),
    then: 'exit',
    code: 0,
    signal: null,
    ignoreTerm: false,
    grandchild: false,
    readStdin: false,
  };
}

function kindOf(random: Random): JobKind {
  const r = random();
  if (r < 0.5) return 'output';
  if (r < 0.55) return 'chunks';
  if (r < 0.65) return 'failing';
  if (r < 0.7) return 'signal';
  if (r < 0.82) return 'hang';
  if (r < 0.9) return 'leftover';
  if (r < 0.92) return 'unstartable';
  return 'stdin';
}

function cancelPlan(random: Random): CancelPlan | null {
  const r = random();
  if (r >= 0.14) return null;
  const how = random() < 0.5 ? 'cancel' : 'abort';
  if (r < 0.02) return { how, atMs: 'sync' };
  // half of them early (often while pending or starting), the rest at any moment of a job's life
  return { how, atMs: random() < 0.5 ? int(random, 0, 100) : int(random, 100, 1500) };
}

function shaped(kind: JobKind, base: WorkerPlan, random: Random): { worker: WorkerPlan; input: number } {
  const grandchild = random() < 0.5 ? 'plain' : 'stubborn';
  switch (kind) {
    case 'output':
    case 'chunks':
    case 'unstartable':
      return { worker: base, input: 0 };
    case 'failing':
      return { worker: { ...base, err: Math.max(1, base.err), code: int(random, 1, 125) }, input: 0 };
    case 'signal':
      return { worker: { ...base, then: 'signal', signal: pick(random, ['SIGKILL', 'SIGTERM', 'SIGHUP', 'SIGINT'] as const) }, input: 0 };
    case 'hang':
      return {
        worker: { ...base, lines: Math.min(base.lines, 100), then: 'hang', ignoreTerm: random() < 0.4, grandchild: random() < 0.3 ? grandchild : false },
        input: 0,
      };
    case 'leftover':
      return { worker: { ...base, grandchild, ignoreTerm: random() < 0.3 }, input: 0 };
    case 'stdin': {
      const reads = random() < 0.5;
      // a worker that does not read gets more than a pipe holds, so the host's write must fail
      return { worker: { ...base, readStdin: reads }, input: reads ? int(random, 0, 1 << 20) : int(random, 256 << 10, 4 << 20) };
    }
  }
}

/** The plans of `count` jobs for `seed`. */
export function makePlans(seed: number, count: number, options: { readonly quick: boolean; readonly maxLineBytes: number }): JobPlan[] {
  const random = prng(seed);
  const plans: JobPlan[] = [];
  for (let index = 0; index < count; index++) {
    const kind = kindOf(random);
    const { worker, input } = shaped(kind, workerPlan(random, options.quick, options.maxLineBytes), random);
    plans.push({
      index,
      kind,
      owner: kind === 'stdin' ? ATTACH_OWNER : pick(random, PLUGIN_OWNERS),
      worker,
      timeoutSecs: kind === 'hang' ? 1 : 120,
      input,
      cancel: cancelPlan(random),
    });
  }
  return plans;
}

/** stdout bytes the worker prints for `plan`, except the `grandchild <pid>` line (its length depends on the pid). */
export function stdoutBytes(plan: WorkerPlan): number {
  const lineBytes = (plan.utf8 ? 2 * plan.line : plan.line) + (plan.crlf ? 2 : 1);
  return plan.lines * lineBytes + plan.partial + (plan.ignoreTerm ? 'ready\n'.length : 0);
}

/** `job_log_line`s on stdout the host must deliver for a worker that ran to its end. */
export function stdoutLines(plan: WorkerPlan, maxLineBytes: number): number {
  const bytes = plan.utf8 ? 2 * plan.line : plan.line;
  const pieces = Math.max(1, Math.ceil(bytes / maxLineBytes));
  const partial = plan.partial > 0 ? Math.ceil(plan.partial / maxLineBytes) : 0;
  const markers = Number(plan.ignoreTerm) + Number(plan.grandchild !== false) + Number(plan.readStdin);
  return plan.lines * pieces + partial + markers;
}

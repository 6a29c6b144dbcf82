/**
 * The host's half of resource limits: every 50 ms, while a job with a
 * process or memory limit runs, one pass over /proc counts each such job's
 * live processes and resident memory, and a job over its limit is reported
 * (the runner kills its group at once, without grace). Sampling stops when
 * no such job runs; the timer never keeps the host alive.
 */
import { formatBytes, type ResourceLimits } from '../policy/limits.js';
import { sampleGroups } from '../process/group-usage.js';

/** Time between samples. */
export const SAMPLE_MS = 50;

interface Watched {
  readonly limits: ResourceLimits;
  readonly exceeded: (what: string) => void;
}

/** One host's sampler. */
export class LimitSampler {
  readonly #watched = new Map<number, Watched>();
  #timer: NodeJS.Timeout | null = null;

  /** Samples `pgid` against `limits` until the returned function is called; `exceeded` is called at most once. */
  watch(pgid: number, limits: ResourceLimits, exceeded: (what: string) => void): () => void {
    let fired = false;
    this.#watched.set(pgid, {
      limits,
      exceeded: (what) => {
        if (fired) return;
        fired = true;
        exceeded(what);
      },
    });
    if (this.#timer === null) {
      this.#timer = setInterval(() => this.#sample(), SAMPLE_MS);
      this.#timer.unref();
    }
    return () => {
      this.#watched.delete(pgid);
      if (this.#watched.size === 0 && this.#timer !== null) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }

  #sample(): void {
    const usage = sampleGroups(new Set(this.#watched.keys()));
    for (const [pgid, use] of usage) {
      const watched = this.#watched.get(pgid);
      if (watched === undefined) continue;
      const { processes, memoryBytes } = watched.limits;
      if (processes !== undefined && use.processes > processes) {
        watched.exceeded(`the process limit of ${processes} (${use.processes} processes were running)`);
      } else if (memoryBytes !== undefined && use.rssBytes > memoryBytes) {
        watched.exceeded(`the memory limit of ${formatBytes(memoryBytes)} (${formatBytes(use.rssBytes)} resident)`);
      }
    }
  }
}

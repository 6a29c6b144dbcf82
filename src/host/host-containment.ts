/**
 * Everything that holds one host's jobs beyond a single run: the watchdog
 * (for a host that dies without running its handlers), the limit sampler,
 * and the state-directory records with their start-up sweep. The runner
 * tells it about every process group that starts and ends.
 */
import type { ResolvedBinary } from '../policy/binaries.js';
import type { GroupWatch } from '../process/spawn.js';
import { GroupRecords, sweepStateDir, type SweptGroup } from '../process/sweep.js';
import { Watchdog } from '../process/watchdog.js';
import { describeContainment, type ContainmentReport } from './containment-report.js';
import { LimitSampler } from './limit-sampler.js';

/** One host's containment machinery. */
export class HostContainment implements GroupWatch {
  readonly sampler = new LimitSampler();
  readonly #watchdog: Watchdog;
  readonly #records: GroupRecords | null;
  readonly #stateDir: string | null;
  readonly #swept: readonly SweptGroup[];

  /** Sweeps `stateDir` (when given) before anything of this host runs. */
  constructor(killGraceMs: number, stateDir: string | null) {
    this.#watchdog = new Watchdog(killGraceMs);
    this.#stateDir = stateDir;
    this.#swept = stateDir === null ? [] : Object.freeze(sweepStateDir(stateDir));
    this.#records = stateDir === null ? null : new GroupRecords(stateDir);
  }

  watch(pgid: number): void {
    this.#watchdog.watch(pgid);
    this.#records?.add(pgid);
  }

  unwatch(pgid: number): void {
    this.#watchdog.unwatch(pgid);
    this.#records?.remove(pgid);
  }

  /** Every group is gone: stops the watchdog and removes the records. */
  async close(): Promise<void> {
    await this.#watchdog.stop();
    this.#records?.close();
  }

  report(binaries: ReadonlyMap<string, ResolvedBinary>): ContainmentReport {
    return {
      watchdog: { pid: this.#watchdog.pid, unavailable: this.#watchdog.failure },
      stateDir: this.#stateDir,
      swept: this.#swept,
      binaries: describeContainment(binaries),
    };
  }
}

/**
 * How much the fuzz suite fuzzes.
 *
 * In CI every property runs with the fixed seed 42 and its own small budget,
 * chosen so that `npx vitest run test/fuzz` takes well under 20 s on a loaded
 * 2-core machine. A long run is one environment variable away:
 *
 *     JOBHOST_FUZZ_RUNS=100000 npx vitest run test/fuzz
 *     JOBHOST_FUZZ_RUNS=100000 JOBHOST_FUZZ_SEED=7 npx vitest run test/fuzz
 *
 * `JOBHOST_FUZZ_RUNS` is the run count of a cheap (pure, synchronous)
 * property; a costly one (processes, sockets, megabyte inputs) runs its
 * `weight` of it, and never fewer than its CI budget. `JOBHOST_FUZZ_SEED`
 * replaces the seed; without it a long run uses a fresh random seed, which
 * fast-check prints with any counterexample (replay it with
 * `JOBHOST_FUZZ_SEED=<seed>` and the printed run count). Test timeouts are
 * lifted during a long run.
 */
import type * as fc from 'fast-check';

function positiveInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < (name === 'JOBHOST_FUZZ_SEED' ? Number.MIN_SAFE_INTEGER : 1)) {
    throw new Error(`Expected ${name} to be an integer${name === 'JOBHOST_FUZZ_SEED' ? '' : ' from 1 and up'}, got ${JSON.stringify(text)}`);
  }
  return value;
}

const LONG_RUNS = positiveInteger('JOBHOST_FUZZ_RUNS');
const SEED = positiveInteger('JOBHOST_FUZZ_SEED') ?? (LONG_RUNS === undefined ? 42 : Date.now() % 2 ** 31);

/** True during a long run (`JOBHOST_FUZZ_RUNS` set). */
export const LONG_RUN = LONG_RUNS !== undefined;

/** The vitest timeout of one property: generous in CI, none to speak of in a long run. */
export const FUZZ_TIMEOUT = LONG_RUN ? 7 * 24 * 3600 * 1000 : 60_000;

/**
 * fast-check parameters for a property: `runs` in CI; `JOBHOST_FUZZ_RUNS × weight`
 * (at least `runs`) in a long run. The seed is fixed unless overridden.
 */
export function fuzz<T>(runs: number, weight = 1): fc.Parameters<T> {
  const numRuns = LONG_RUNS === undefined ? runs : Math.max(runs, Math.round(LONG_RUNS * weight));
  return { seed: SEED, numRuns, endOnFailure: true };
}

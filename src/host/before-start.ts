/**
 * The checks between the queue and `execve`: a job may have waited, and what
 * was true when its request was accepted may not be any more. The working
 * directory must still resolve to itself, the binary must still be the pinned
 * file, and the binary's profile gets its start-time step (git reads the
 * repository's config here). Any failure ends the job with `job_failed`
 * before a process of its own exists.
 */
import { JobHostError } from '../errors.js';
import { assertUnchanged } from '../policy/binary-identity.js';
import { cwdMovedTo } from '../policy/cwd.js';
import { runPreflight } from '../process/preflight.js';
import type { GroupWatch } from '../process/spawn.js';
import type { JobSpec } from './job.js';

/** Ready to start: the environment to use, and notes for the job's log. */
export interface StartPlan {
  readonly env: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

/** Runs the checks; resolves to the plan, or to why the job cannot start (the text of its `job_failed`). */
export async function beforeStart(spec: JobSpec, killGraceMs: number, signal: AbortSignal, watch: GroupWatch): Promise<StartPlan | { readonly error: string }> {
  const name = spec.binary.name;
  // the cwd was real when the request was accepted; a directory may have been replaced by a symlink since
  const movedTo = cwdMovedTo(spec.cwd);
  if (movedTo !== null) {
    return { error: `could not start ${name}: its working directory ${spec.cwd} now resolves to ${movedTo} (replaced by a symlink after the request was accepted)` };
  }
  try {
    assertUnchanged(name, spec.binary.pins);
  } catch (error) {
    if (error instanceof JobHostError) return { error: `could not start ${name}: ${error.code}: ${error.message}` };
    throw error;
  }
  if (spec.prepare === undefined) return { env: spec.env, notes: [] };
  const prepared = await spec.prepare((args, env, limits) =>
    runPreflight({ file: spec.binary.launch.file, args: [...spec.binary.launch.prefix, ...args], cwd: spec.cwd, env }, { ...limits, killGraceMs, signal, watch }),
  );
  if ('refused' in prepared) return { error: `could not start ${name}: ${prepared.refused.code}: ${prepared.refused.message}` };
  return { env: prepared.env, notes: prepared.notes ?? [] };
}

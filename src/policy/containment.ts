/**
 * Containment tiers: how far a job's processes are held to the job.
 *
 * - `'group'` (the default): the job leads its own process group; the group
 *   is killed when the job ends, on cancel, on timeout and when the host
 *   exits, and by the host's watchdog when the host dies without running any
 *   handler (SIGKILL). A process that leaves the group on purpose (`setsid`,
 *   a daemon) escapes it.
 * - `'bwrap'`: the job runs in its own PID namespace under bubblewrap
 *   (`bwrap --die-with-parent --unshare-pid`, the file system shared as it
 *   is). When the job's main process ends, or bwrap's parent — the host —
 *   dies, the kernel kills every process in the namespace, daemons that
 *   called `setsid` included.
 * - `'systemd-scope'` (a transient cgroup under the user's systemd) is named
 *   so that asking for it fails loudly: this version does not run jobs that
 *   way yet.
 *
 * Asking for a tier the machine cannot give is a construction error
 * (`ERR_CONTAINMENT_UNAVAILABLE`), never a silent downgrade: bwrap must be
 * on the search path and must be able to create the namespace (a sandbox
 * that refuses user namespaces to an unprivileged user refuses it here).
 */
import { JobHostError } from '../errors.js';
import { needsRlimits, prlimitOptions, type ResourceLimits } from './limits.js';
import { lookUp } from './lookup.js';

/** The tiers a policy can ask for. */
export type ContainmentTier = 'group' | 'bwrap' | 'systemd-scope';

/** What the host runs around a binary, decided at construction. */
export interface Containment {
  readonly tier: 'group' | 'bwrap';
  readonly limits: ResourceLimits | undefined;
  /** The argv placed before the binary's own (`prlimit … --`, `bwrap … --`); empty for none. */
  readonly wrapper: readonly string[];
  /** The wrapper programs, pinned like the binary. */
  readonly wrapperFiles: readonly string[];
}

/** bwrap's options: a PID namespace that dies with bwrap's parent; the file system as it is, with a /proc of the namespace. */
export const BWRAP_OPTIONS: readonly string[] = ['--die-with-parent', '--unshare-pid', '--dev-bind', '/', '/', '--proc', '/proc', '--'];

/** Runs a program synchronously at construction (the host's probe). */
export type ContainmentProbe = (file: string, args: readonly string[]) => { readonly code: number | null; readonly stderr: string };

function unavailable(binary: string, tier: string, why: string): never {
  throw new JobHostError('ERR_CONTAINMENT_UNAVAILABLE', `Containment "${tier}" asked for by "${binary}" is not available on this machine: ${why}`, {
    details: { binary, tier },
  });
}

/** Per-host memo of what was probed, so one bwrap is tried once however many binaries ask for it. */
export type ProbeMemo = Map<string, string | null>;

/** Plans the tier and limits of one binary; throws `ERR_CONTAINMENT_UNAVAILABLE` when the machine lacks them. */
export function planContainment(binary: string, tier: ContainmentTier, limits: ResourceLimits | undefined, searchPath: string, probe: ContainmentProbe, memo: ProbeMemo): Containment {
  const wrapper: string[] = [];
  const wrapperFiles: string[] = [];
  if (needsRlimits(limits)) {
    const prlimit = lookUp('prlimit', searchPath);
    if (prlimit === undefined) unavailable(binary, 'limits', `util-linux's prlimit is not on the search path (${searchPath}); it sets CPU, address-space, open-file and file-size limits`);
    wrapper.push(prlimit, ...prlimitOptions(limits as ResourceLimits), '--');
    wrapperFiles.push(prlimit);
  }
  if (tier === 'systemd-scope') unavailable(binary, tier, 'this version of jobhost does not run jobs in systemd scopes yet; use "bwrap"');
  if (tier === 'bwrap') {
    const bwrap = lookUp('bwrap', searchPath);
    if (bwrap === undefined) unavailable(binary, tier, `bubblewrap (bwrap) is not on the search path (${searchPath}); Debian and Ubuntu package it as "bubblewrap"`);
    if (!memo.has(bwrap)) {
      const result = probe(bwrap, [...BWRAP_OPTIONS, '/bin/true']);
      memo.set(bwrap, result.code === 0 ? null : `bwrap could not create a PID namespace here (exit ${String(result.code)}: ${result.stderr.trim().slice(0, 300) || 'no message'}); the sandbox may refuse user namespaces`);
    }
    const failure = memo.get(bwrap);
    if (failure !== null && failure !== undefined) unavailable(binary, tier, failure);
    wrapper.push(bwrap, ...BWRAP_OPTIONS);
    wrapperFiles.push(bwrap);
  }
  return { tier: tier === 'bwrap' ? 'bwrap' : 'group', limits, wrapper, wrapperFiles };
}

/**
 * The git adapter's configuration: an optional JSON file named by
 * `JOBHOST_GIT_CONFIG`, overridden field by field by `JOBHOST_GIT_*`
 * variables. The host application sets them through the client's `env`
 * (each process reads them afresh; there is no other state).
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';

/** Settings with their defaults applied. */
export interface GitAdapterConfig {
  /** Remote for push and sync. */
  readonly remote: string;
  /** Branches a submit must never land on; a trailing `*` matches a prefix (`release/*`). */
  readonly protectedTargets: readonly string[];
  /** How sync_upstream integrates upstream. */
  readonly sync: 'rebase' | 'merge';
  /** Upstream branch to sync with; `null` = the remote's HEAD branch, else `main`, else `master`. */
  readonly upstream: string | null;
  /** Command (program and arguments) that implements the review methods; `null` = not supported. */
  readonly reviewCommand: readonly string[] | null;
}

const FileConfig = z.strictObject({
  remote: z.string().min(1).optional(),
  protected_targets: z.array(z.string().min(1)).optional(),
  sync: z.enum(['rebase', 'merge']).optional(),
  upstream: z.string().min(1).optional(),
  review_command: z.array(z.string().min(1)).min(1).optional(),
});

function fromFile(file: string | undefined): z.output<typeof FileConfig> {
  if (file === undefined || file === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`JOBHOST_GIT_CONFIG ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = FileConfig.safeParse(value);
  if (!parsed.success) throw new Error(`JOBHOST_GIT_CONFIG ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Reads the configuration; throws a message naming the bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GitAdapterConfig {
  const file = fromFile(env.JOBHOST_GIT_CONFIG);
  const sync = env.JOBHOST_GIT_SYNC ?? file.sync ?? 'rebase';
  if (sync !== 'rebase' && sync !== 'merge') throw new Error(`JOBHOST_GIT_SYNC must be "rebase" or "merge", got ${JSON.stringify(sync)}`);
  const listed = env.JOBHOST_GIT_PROTECTED;
  return {
    remote: env.JOBHOST_GIT_REMOTE || file.remote || 'origin',
    // An empty JOBHOST_GIT_PROTECTED deliberately protects nothing.
    protectedTargets: listed !== undefined ? listed.split(',').map((name) => name.trim()).filter((name) => name !== '') : (file.protected_targets ?? ['main', 'master']),
    sync,
    upstream: env.JOBHOST_GIT_UPSTREAM || file.upstream || null,
    reviewCommand: env.JOBHOST_GIT_REVIEW_COMMAND ? [env.JOBHOST_GIT_REVIEW_COMMAND] : (file.review_command ?? null),
  };
}

/** True when `branch` is one of the protected targets. */
export function isProtected(branch: string, config: GitAdapterConfig): boolean {
  return config.protectedTargets.some((target) => (target.endsWith('*') ? branch.startsWith(target.slice(0, -1)) : branch === target));
}

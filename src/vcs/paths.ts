/**
 * Paths in params: the one place a relative path would silently mean
 * something else.
 *
 * The client's `cwd` is relative to the host root, but an adapter receives
 * `detect.project_root`, `is_path_ignored.project_root` and
 * `prepare.workspace_path` verbatim and resolves a relative one against its
 * own working directory — the workspace — so `project-42` would become
 * `<root>/project-42/project-42`. TA always sends them absolute. The client
 * refuses a relative one before anything is spawned, and fills in
 * `project_root` itself when it is left out.
 */
import { isAbsolute, resolve } from 'node:path';
import type { VcsMethod } from '../contracts/vcs-methods.js';
import type { CallConfig } from './run-adapter.js';
import { VcsAdapterError } from './errors.js';

/** Params that must be absolute paths, by method. */
export const VCS_ABSOLUTE_PATH_PARAMS: Readonly<Partial<Record<VcsMethod, readonly string[]>>> = Object.freeze({
  detect: Object.freeze(['project_root']),
  is_path_ignored: Object.freeze(['project_root']),
  prepare: Object.freeze(['workspace_path']),
});

/** The absolute directory a call runs in: its `cwd` (relative to the host root, or absolute), else the root. */
export function callDirectory(config: CallConfig, cwd: string | undefined): string {
  return resolve(config.host.root, cwd ?? config.cwd ?? '.');
}

/** Throws `ERR_VCS_INVALID_PARAMS` when a path param of `method` is not absolute; nothing has been spawned. */
export function assertAbsolutePaths(config: CallConfig, method: VcsMethod, params: unknown, cwd: string | undefined): void {
  for (const key of VCS_ABSOLUTE_PATH_PARAMS[method] ?? []) {
    const value = (params as Record<string, unknown>)[key];
    if (typeof value !== 'string' || isAbsolute(value)) continue;
    const meant = resolve(callDirectory(config, cwd), value);
    throw new VcsAdapterError(
      'ERR_VCS_INVALID_PARAMS',
      `invalid params for ${method}: ${key} must be an absolute path, got ${JSON.stringify(value)}; the adapter gets it verbatim and would resolve it against its own working directory (${callDirectory(config, cwd)}). Pass ${JSON.stringify(meant)} if that is what you mean${key === 'project_root' ? ', or leave project_root out: the client fills in the call\'s directory' : ''}`,
      { adapter: config.binary, method, details: { param: key, value } },
    );
  }
}

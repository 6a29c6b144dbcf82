/**
 * jobhost's example git adapter, built with `jobhost/vcs-adapter`: every
 * method of TA's VCS protocol against the real `git` CLI, in the process's
 * working directory (the client's `cwd`). Configuration: see config.ts.
 */
import { serveVcsAdapter, type VcsHandlers } from '../../src/vcs-adapter/index.js';
import { prepare, verifyTarget } from './branch.js';
import { commit, push, revisionId } from './commit.js';
import { loadConfig, type GitAdapterConfig } from './config.js';
import { REVIEW_METHODS, review } from './review.js';
import { detect, restoreState, saveState } from './state.js';
import { syncUpstream } from './sync.js';

const cwd = process.cwd();

let loaded: GitAdapterConfig | Error;
try {
  loaded = loadConfig();
} catch (error) {
  loaded = error instanceof Error ? error : new Error(String(error));
}

/** The configuration, or the reason it is broken — reported by every call but the handshake. */
function config(): GitAdapterConfig {
  if (loaded instanceof Error) throw loaded;
  return loaded;
}

const handlers: VcsHandlers = {
  detect: async ({ project_root }) => ({ detected: await detect(project_root) }),
  exclude_patterns: () => ({ patterns: ['.git/'] }),
  save_state: async () => ({ state: { ...(await saveState(cwd)) } }),
  restore_state: ({ state }) => restoreState(cwd, state),
  prepare: (params) => prepare(params),
  commit: (params) => commit(cwd, params),
  push: ({ goal_id }) => push(cwd, goal_id, config()),
  revision_id: () => revisionId(cwd),
  protected_targets: () => ({ targets: [...config().protectedTargets] }),
  verify_target: () => verifyTarget(cwd, config()),
  sync_upstream: () => syncUpstream(cwd, config()),
  open_review: (params) => review('open_review', params, cwd, config()),
  check_review: (params) => review('check_review', params, cwd, config()),
  merge_review: (params) => review('merge_review', params, cwd, config()),
};

const reviews = loaded instanceof Error || loaded.reviewCommand === null ? [] : REVIEW_METHODS;
const core = Object.keys(handlers).filter((method) => !(REVIEW_METHODS as readonly string[]).includes(method));

await serveVcsAdapter({ adapterName: 'git', version: '0.1.0', capabilities: [...core, ...reviews], handlers });

/**
 * detect, save_state and restore_state: where the user was before the host
 * applied a goal's changes, and getting them back there afterwards.
 *
 * The saved state is the current branch (or the commit of a detached HEAD)
 * plus, when the work tree was dirty, a stash of the uncommitted work —
 * untracked files included — identified by its commit id, so restoring finds
 * the right stash entry even if others were pushed since.
 */
import { currentBranch, git, gitOk } from './exec.js';

/** What save_state returns and restore_state gets back (opaque to the host). */
export interface SavedState {
  readonly branch: string | null;
  readonly head: string;
  readonly stash: string | null;
}

/** True when `projectRoot` lies inside a git work tree. */
export async function detect(projectRoot: string): Promise<boolean> {
  try {
    const result = await git(['rev-parse', '--is-inside-work-tree'], projectRoot);
    return result.code === 0 && result.stdout.trim() === 'true';
  } catch {
    return false; // the directory does not exist
  }
}

/** Records the branch and stashes uncommitted work, leaving a clean work tree. */
export async function saveState(cwd: string): Promise<SavedState> {
  const branch = await currentBranch(cwd);
  const head = (await gitOk(['rev-parse', '--verify', 'HEAD'], cwd)).trim();
  const dirty = (await gitOk(['status', '--porcelain', '--untracked-files=all'], cwd)).trim() !== '';
  let stash: string | null = null;
  if (dirty) {
    await gitOk(['stash', 'push', '--include-untracked', '--message', `jobhost-vcs-git save_state on ${branch ?? head}`], cwd);
    stash = (await gitOk(['rev-parse', '--verify', 'refs/stash'], cwd)).trim();
  }
  return { branch, head, stash };
}

function asSavedState(state: unknown): SavedState {
  const value = state as Partial<Record<keyof SavedState, unknown>> | null;
  const ok =
    typeof value === 'object' && value !== null &&
    (value.branch === null || typeof value.branch === 'string') &&
    typeof value.head === 'string' &&
    (value.stash === null || typeof value.stash === 'string');
  if (!ok) throw new Error(`restore_state: not a state saved by this adapter: ${JSON.stringify(state)}`);
  return value as SavedState;
}

/** Goes back to the saved branch and re-applies the stashed work, then drops that stash entry. */
export async function restoreState(cwd: string, state: unknown): Promise<void> {
  if (state === null) return; // nothing was saved
  const saved = asSavedState(state);
  await gitOk(saved.branch === null ? ['checkout', '--quiet', '--detach', saved.head] : ['checkout', '--quiet', saved.branch], cwd);
  if (saved.stash === null) return;
  await gitOk(['stash', 'apply', '--index', saved.stash], cwd);
  const entries = (await gitOk(['stash', 'list', '--format=%H'], cwd)).split('\n');
  const index = entries.indexOf(saved.stash);
  if (index !== -1) await gitOk(['stash', 'drop', '--quiet', `stash@{${index}}`], cwd);
}

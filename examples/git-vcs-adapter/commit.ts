/**
 * commit, push and revision_id.
 */
import { isProtected, type GitAdapterConfig } from './config.js';
import { readGoalRecord } from './branch.js';
import { currentBranch, gitOk } from './exec.js';

/** Adds the co-author as a proper `Co-authored-by:` trailer (merged into an existing trailer block). */
async function withCoAuthor(cwd: string, message: string, coAuthor: string | null): Promise<string> {
  if (coAuthor === null || coAuthor.trim() === '') return message;
  const who = coAuthor.replace(/^co-authored-by:\s*/i, '').trim();
  return gitOk(['interpret-trailers', '--if-exists', 'addIfDifferent', '--trailer', `Co-authored-by: ${who}`], cwd, message.endsWith('\n') ? message : `${message}\n`);
}

/** Commits exactly `changed_files` (additions, changes and deletions), with the co-author recorded by prepare. */
export async function commit(cwd: string, params: { goal_id: string; message: string; changed_files: string[] }) {
  if (params.changed_files.length === 0) throw new Error('nothing to commit: changed_files is empty');
  const record = await readGoalRecord(cwd);
  const message = await withCoAuthor(cwd, params.message, record?.co_author ?? null);
  // Literal pathspecs: a file named `:(top)x` or `*` means itself, not git pathspec magic.
  await gitOk(['--literal-pathspecs', 'add', '--all', '--', ...params.changed_files], cwd);
  await gitOk(['--literal-pathspecs', 'commit', '--quiet', '--file=-', '--', ...params.changed_files], cwd, message);
  const id = (await gitOk(['rev-parse', 'HEAD'], cwd)).trim();
  const branch = (await currentBranch(cwd)) ?? 'HEAD';
  const subject = message.split('\n', 1)[0] ?? '';
  return {
    commit_id: id,
    message: `committed ${id.slice(0, 12)} on ${branch}: ${subject}`,
    metadata: { branch, goal_id: params.goal_id },
  };
}

/** Pushes the current branch to the configured remote (never a protected branch) and sets its upstream. */
export async function push(cwd: string, goalId: string, config: GitAdapterConfig) {
  const branch = await currentBranch(cwd);
  if (branch === null) throw new Error('push: HEAD is detached; call prepare first');
  if (isProtected(branch, config)) throw new Error(`refusing to push protected target "${branch}"`);
  await gitOk(['push', '--quiet', '--set-upstream', config.remote, `HEAD:refs/heads/${branch}`], cwd);
  const id = (await gitOk(['rev-parse', 'HEAD'], cwd)).trim();
  return {
    remote_ref: branch,
    message: `pushed ${branch} to ${config.remote} at ${id.slice(0, 12)}`,
    metadata: { remote: config.remote, commit: id, goal_id: goalId },
  };
}

/** The full commit id of HEAD. */
export async function revisionId(cwd: string) {
  return { revision_id: (await gitOk(['rev-parse', '--verify', 'HEAD'], cwd)).trim() };
}

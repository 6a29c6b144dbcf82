/**
 * sync_upstream: fetch, then rebase onto (or merge) the upstream branch.
 *
 * A conflict is a result, not an error: the host learns which files clash.
 * The rebase or merge is then aborted, so the workspace is left exactly as it
 * was — an adapter run without a terminal cannot leave a half-finished rebase
 * for a human to discover later.
 */
import type { GitAdapterConfig } from './config.js';
import { git, gitOk, paths } from './exec.js';

async function upstreamBranch(cwd: string, config: GitAdapterConfig): Promise<string> {
  if (config.upstream !== null) return config.upstream;
  const head = await git(['symbolic-ref', '--quiet', '--short', `refs/remotes/${config.remote}/HEAD`], cwd);
  if (head.code === 0) return head.stdout.trim().slice(config.remote.length + 1);
  for (const candidate of ['main', 'master']) {
    if ((await git(['rev-parse', '--verify', '--quiet', `refs/remotes/${config.remote}/${candidate}`], cwd)).code === 0) return candidate;
  }
  throw new Error(`sync_upstream: cannot tell the upstream branch of ${config.remote}; set JOBHOST_GIT_UPSTREAM`);
}

/** Fetches the remote and integrates its upstream branch; reports new commits and conflicts. */
export async function syncUpstream(cwd: string, config: GitAdapterConfig) {
  await gitOk(['fetch', '--quiet', config.remote], cwd);
  const branch = await upstreamBranch(cwd, config);
  const target = `${config.remote}/${branch}`;
  if ((await git(['rev-parse', '--verify', '--quiet', `refs/remotes/${target}`], cwd)).code !== 0) {
    throw new Error(`sync_upstream: ${target} does not exist after fetching ${config.remote}`);
  }
  const newCommits = Number((await gitOk(['rev-list', '--count', `HEAD..refs/remotes/${target}`], cwd)).trim());
  const metadata = { strategy: config.sync, upstream: target };
  if (newCommits === 0) {
    return { updated: false, conflicts: [], new_commits: 0, message: `already up to date with ${target}`, metadata };
  }
  const integrate = config.sync === 'rebase' ? ['rebase', '--quiet', `refs/remotes/${target}`] : ['merge', '--quiet', '--no-edit', `refs/remotes/${target}`];
  const result = await git(integrate, cwd);
  if (result.code === 0) {
    const verb = config.sync === 'rebase' ? 'rebased onto' : 'merged';
    return { updated: true, conflicts: [], new_commits: newCommits, message: `${verb} ${target} (${newCommits} new commit${newCommits === 1 ? '' : 's'})`, metadata };
  }
  const conflicts = paths(await gitOk(['diff', '--name-only', '--diff-filter=U', '-z'], cwd));
  await git([config.sync, '--abort'], cwd);
  if (conflicts.length === 0) {
    // Not a conflict: a dirty work tree, a missing identity, … — that is an error.
    throw new Error(`sync_upstream: git ${config.sync} failed: ${(result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' / ')}`);
  }
  return {
    updated: false,
    conflicts,
    new_commits: newCommits,
    message: `${config.sync} onto ${target} stopped on conflicts in ${conflicts.join(', ')}; aborted, the workspace is unchanged`,
    metadata: { ...metadata, aborted: 'true' },
  };
}
